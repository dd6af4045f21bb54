package org.tga4j.retrieval;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The caption-text postings of one segment, copied into plain arrays on the heap: for every term the live documents
 * that contain it (ascending), their term frequencies, and the length norm of every document.
 *
 * <p>Only the inputs of BM25 are kept, never a score: scores are computed per query by Lucene's own
 * {@link org.apache.lucene.search.similarities.Similarity.SimScorer} from (frequency, norm), so they are the very
 * floats Lucene's term scorer produces. Deleted documents are left out. Costs about 4-5 bytes per posting.
 */
final class HeapPostings {

    /**
     * One term's postings in this segment. {@code freqs == null} means every frequency is 1. {@code docFreq} and
     * {@code totalTermFreq} are the segment's statistics as Lucene keeps them (deleted documents included), which is
     * what BM25's idf is computed from.
     */
    record TermPostings(int[] docs, int[] freqs, long[] maxFreqByNorm, int docFreq, long totalTermFreq) {}

    private final Map<String, TermPostings> terms;
    private final byte[] norms;
    private final int maxDoc;

    private HeapPostings(Map<String, TermPostings> terms, byte[] norms, int maxDoc) {
        this.terms = terms;
        this.norms = norms;
        this.maxDoc = maxDoc;
    }

    /** Reads the postings and norms of {@code field} of one segment. */
    static HeapPostings load(LeafReader leaf, String field) throws IOException {
        int maxDoc = leaf.maxDoc();
        byte[] norms = new byte[maxDoc];
        Arrays.fill(norms, (byte) 1); // what Lucene's term scorer assumes for a document without a norm
        NumericDocValues nv = leaf.getNormValues(field);
        if (nv != null) {
            for (int d = nv.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = nv.nextDoc()) {
                long v = nv.longValue();
                if (v != (byte) v) throw new IllegalStateException("norm " + v + " of doc " + d + " does not fit the BM25 byte encoding");
                norms[d] = (byte) v;
            }
        }
        Map<String, TermPostings> map = new HashMap<>();
        Terms t = leaf.terms(field);
        if (t != null) {
            Bits live = leaf.getLiveDocs();
            TermsEnum te = t.iterator();
            PostingsEnum pe = null;
            int[] docs = new int[1024];
            int[] freqs = new int[1024];
            int[] maxFreq = new int[256];
            for (BytesRef term = te.next(); term != null; term = te.next()) {
                pe = te.postings(pe, PostingsEnum.FREQS);
                int n = 0;
                boolean allOnes = true;
                Arrays.fill(maxFreq, 0);
                for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                    if (live != null && !live.get(d)) continue;
                    if (n == docs.length) {
                        docs = Arrays.copyOf(docs, n * 2);
                        freqs = Arrays.copyOf(freqs, n * 2);
                    }
                    int f = pe.freq();
                    docs[n] = d;
                    freqs[n++] = f;
                    allOnes &= f == 1;
                    int norm = norms[d] & 0xFF;
                    if (f > maxFreq[norm]) maxFreq[norm] = f;
                }
                map.put(term.utf8ToString(), new TermPostings(Arrays.copyOf(docs, n), allOnes ? null : Arrays.copyOf(freqs, n),
                        paretoList(maxFreq), te.docFreq(), te.totalTermFreq()));
            }
        }
        return new HeapPostings(map, norms, maxDoc);
    }

    /**
     * For every norm among the term's documents, the highest frequency with it, as {@code (long) norm << 32 | freq}:
     * since BM25 grows with the frequency at a fixed norm, the term's best score for a query is the best of these.
     */
    private static long[] paretoList(int[] maxFreq) {
        int c = 0;
        for (int f : maxFreq) if (f > 0) c++;
        long[] out = new long[c];
        c = 0;
        for (int norm = 0; norm < 256; norm++) {
            if (maxFreq[norm] > 0) out[c++] = (long) norm << 32 | maxFreq[norm];
        }
        return out;
    }

    /** The postings of {@code term}, or {@code null} when no document of this segment ever contained it. */
    TermPostings get(String term) {
        return terms.get(term);
    }

    /** Encoded length norm of every document (index = doc id). Do not modify. */
    byte[] norms() {
        return norms;
    }

    int maxDoc() {
        return maxDoc;
    }
}
