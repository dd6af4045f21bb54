package org.tga4j.retrieval;

import java.util.Arrays;
import java.util.List;

/**
 * The in-memory document order of {@link HeapPostings} (the <em>heap order</em>): by length norm ascending, then by
 * each caption's most common words, most common first, as in a dictionary of word lists: captions sharing their
 * common words become neighbours. A window of the heap order then holds captions of one length, whose words vary in
 * only the last few places, so its union of words is small, and a query's block bound for it is tight: most windows
 * are bounded below the k-th score and never read ({@link MaxScoreTopK}). The order affects speed only, never
 * results.
 *
 * <p>Measured on 1M synthetic captions (400 queries, 512-document windows; windows whose bound reached the final
 * k-th score, of ~1,900 holding a query term): norm only 1,398; norm then rarest words first 356; norm then most
 * common words first (this order) 248; Lucene's bipartite graph partitioning ({@code BPIndexReorderer}) 218, but
 * it took 39 s to compute.
 */
final class DocOrder {
    /**
     * Words of a caption that its key holds (the most common ones): 3 and 4 left 17% and 3% more windows to score than
     * 6, which still fit one {@code long} with the norm.
     */
    private static final int KEY_WORDS = 6;
    /**
     * Bits per word in the key: the {@code 2^RANK_BITS - 1} most common words of a segment have a rank each, every
     * rarer word shares the last one (its captions are few, however they are ordered).
     */
    private static final int RANK_BITS = 9;
    private static final int RARE = (1 << RANK_BITS) - 1;
    /** Bits per pass of the radix sort of the keys: 4 passes over the 62-bit keys. */
    private static final int RADIX_BITS = 16;

    private DocOrder() {}

    /**
     * The heap order of one segment: {@code order[heapDoc]} = segment doc.
     *
     * @param norms every document's encoded norm (by segment doc)
     * @param termDocs every term's documents (live ones), ascending
     */
    static int[] order(byte[] norms, List<int[]> termDocs) {
        int maxDoc = norms.length;
        // the words by document frequency, most common first
        long[] byDf = new long[termDocs.size()];
        for (int t = 0; t < byDf.length; t++) byDf[t] = (long) (Integer.MAX_VALUE - termDocs.get(t).length) << 32 | t;
        Arrays.sort(byDf);
        // each document's key: its KEY_WORDS most common words' ranks (RARE for rarer words or none), below its norm
        long[] keys = new long[maxDoc];
        byte[] words = new byte[maxDoc];
        long allRare = 0;
        for (int i = 0; i < KEY_WORDS; i++) allRare = allRare << RANK_BITS | RARE;
        Arrays.fill(keys, allRare);
        for (int r = 0; r < Math.min(RARE, byDf.length); r++) {
            for (int d : termDocs.get((int) byDf[r])) {
                int i = words[d];
                if (i == KEY_WORDS) continue;
                int shift = (KEY_WORDS - 1 - i) * RANK_BITS;
                keys[d] = keys[d] & ~((long) RARE << shift) | (long) r << shift;
                words[d] = (byte) (i + 1);
            }
        }
        for (int d = 0; d < maxDoc; d++) keys[d] |= (long) (norms[d] & 0xFF) << (KEY_WORDS * RANK_BITS);
        int[] docs = new int[maxDoc];
        for (int d = 0; d < maxDoc; d++) docs[d] = d;
        radixSort(keys, docs, KEY_WORDS * RANK_BITS + Byte.SIZE);
        return docs;
    }

    /**
     * Sorts {@code docs} by {@code keys} (parallel arrays, keys of {@code bits} bits), stably: documents with equal
     * keys keep their (ascending) order.
     */
    private static void radixSort(long[] keys, int[] docs, int bits) {
        int n = keys.length;
        long[] k = keys;
        int[] d = docs;
        long[] k2 = new long[n];
        int[] d2 = new int[n];
        int[] count = new int[1 << RADIX_BITS];
        int mask = (1 << RADIX_BITS) - 1;
        for (int shift = 0; shift < bits && n > 0; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (long key : k) count[(int) (key >>> shift) & mask]++;
            if (count[(int) (k[0] >>> shift) & mask] == n) continue; // one digit value: nothing moves
            for (int i = 0, sum = 0; i < count.length; i++) {
                int c = count[i];
                count[i] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int j = count[(int) (k[i] >>> shift) & mask]++;
                k2[j] = k[i];
                d2[j] = d[i];
            }
            long[] kt = k;
            k = k2;
            k2 = kt;
            int[] dt = d;
            d = d2;
            d2 = dt;
        }
        if (d != docs) System.arraycopy(d, 0, docs, 0, n);
    }
}
