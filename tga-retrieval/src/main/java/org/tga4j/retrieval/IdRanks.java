package org.tga4j.retrieval;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.MSBRadixSorter;

/**
 * Every document's rank in (caption id, doc id) order, the tie-break of equal BM25 scores (ids compared as bytes,
 * as Lucene's {@code STRING_VAL} sort compares them). With ranks in memory, {@link TopK} compares equal scores by an
 * int instead of reading and comparing two ids: frequent, because caption corpora are full of exact score ties (same
 * words, same length). Costs 4 bytes per document, and one radix sort of the ids when the index is opened.
 */
final class IdRanks {
    private IdRanks() {}

    /** Initial size of the buffer all ids are copied into (it grows as needed). */
    private static final int INITIAL_BYTES = 1 << 20;

    /**
     * {@code rank[doc]} for every top-level doc id of {@code reader} (deleted documents included).
     *
     * @throws IOException when a live document has no id (an index built by an older version)
     */
    static int[] of(IndexReader reader) throws IOException {
        int maxDoc = reader.maxDoc();
        int[] start = new int[maxDoc + 1];
        byte[] bytes = new byte[INITIAL_BYTES];
        int used = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            BinaryDocValues ids = leaf.reader().getBinaryDocValues(CaptionSchema.ID);
            Bits live = leaf.reader().getLiveDocs();
            int max = leaf.reader().maxDoc();
            int next = ids == null ? DocIdSetIterator.NO_MORE_DOCS : ids.nextDoc();
            for (int d = 0; d < max; d++) {
                int doc = leaf.docBase + d;
                start[doc] = used;
                if (next != d) {
                    if (live == null || live.get(d)) {
                        throw new IOException("caption index segment " + leaf.reader() + ": document " + doc
                                + " has no caption id (index built by an older version?)");
                    }
                    continue; // a deleted document is never ranked: any place will do
                }
                BytesRef id = ids.binaryValue();
                if (used + id.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(used + id.length, bytes.length * 2));
                System.arraycopy(id.bytes, id.offset, bytes, used, id.length);
                used += id.length;
                next = ids.nextDoc();
            }
        }
        start[maxDoc] = used;
        int[] docs = new int[maxDoc];
        for (int d = 0; d < maxDoc; d++) docs[d] = d;
        byte[] b = bytes;
        new MSBRadixSorter(Integer.MAX_VALUE) {
            @Override
            protected int byteAt(int i, int k) {
                int from = start[docs[i]];
                return k < start[docs[i] + 1] - from ? b[from + k] & 0xFF : -1;
            }

            @Override
            protected void swap(int i, int j) {
                int t = docs[i];
                docs[i] = docs[j];
                docs[j] = t;
            }
        }.sort(0, maxDoc);
        // equal ids (a replaced caption's deleted copy) are left in any order by the radix sort: order them by doc
        for (int i = 0; i < maxDoc; ) {
            int j = i + 1;
            while (j < maxDoc && sameId(b, start, docs[i], docs[j])) j++;
            if (j - i > 1) Arrays.sort(docs, i, j);
            i = j;
        }
        int[] rank = new int[maxDoc];
        for (int r = 0; r < maxDoc; r++) rank[docs[r]] = r;
        return rank;
    }

    private static boolean sameId(byte[] b, int[] start, int x, int y) {
        return Arrays.equals(b, start[x], start[x + 1], b, start[y], start[y + 1]);
    }
}
