package org.tga4j.retrieval;

/**
 * The ids one indexing thread has added, kept as 64-bit hashes in an open-addressing table: {@link #add} says
 * whether an id is certainly new. A hash collision only makes a new id look seen, which costs a replace-by-id
 * update instead of a plain add — never a lost or duplicated caption. Holds no strings, so a corpus of a million
 * ids costs 16 MB here instead of the ids themselves kept alive in a hash set.
 */
final class SeenIds {
    private long[] table = new long[1 << 12];
    private int size;

    /** Records {@code id}; returns {@code true} when it was certainly not recorded before. */
    boolean add(String id) {
        long h = hash(id);
        if (h == 0) h = 1; // 0 marks an empty slot
        int mask = table.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            long v = table[i];
            if (v == h) return false;
            if (v == 0) {
                table[i] = h;
                if (++size * 2 > table.length) grow();
                return true;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h == 0) continue;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = h;
        }
    }

    /** A 64-bit FNV-1a over the UTF-16 chars, finished with a murmur3 mix so nearby ids spread over the table. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
