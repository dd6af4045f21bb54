package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 * <p>The documents are renumbered in memory by {@link DocOrder}: by length, and captions that share their common
 * words next to each other. Postings, norms and windows are in this <em>heap order</em>; {@link #luceneDoc(int)}
 * maps a heap document back to its segment doc id, which is what hits report (the index on disk is untouched). In
 * this order a window of documents holds few distinct words, so a query's block bound for most windows is below the
 * k-th score and {@link MaxScoreTopK} never reads them.
 *
 * <p>Only the inputs of BM25 are kept, never a score: scores are computed per query by Lucene's own
 * {@link org.apache.lucene.search.similarities.Similarity.SimScorer} from (frequency, norm), so they are the very
 * floats Lucene's term scorer produces. Deleted documents are left out. Costs about 5 bytes per posting, 9 bytes per
 * document, and a few bytes per (term, window) pair.
 */
final class HeapPostings {

    /**
     * A term in at least 1/this of the windows also gets direct tables by window ({@link TermPostings#startByWindow}):
     * one or two ints per window, for the common words that are in most queries, where looking a window up in the
     * term's window list measured ~10% of a query.
     */
    private static final int DENSE_WINDOWS = 16;

    /**
     * One term's postings in this segment, heap doc ids ascending. {@code freqs == null} means every frequency is 1.
     *
     * <p>Its window index lists, ascending, the {@link MaxScoreTopK#WINDOW}-document windows the term occurs in
     * ({@code windows}), the position in {@code docs} of its first document in each ({@code windowStart}), and its
     * highest frequency in each ({@code windowMaxFreq}, {@code null} when every frequency is 1), and which of the
     * window's {@link MaxScoreTopK#BLOCKS} blocks of 64 documents hold it (bit {@code j} of {@code windowBlocks}): a
     * query bounds every window and block from these short lists, not from the postings. A term in at least
     * 1/{@link #DENSE_WINDOWS} of the windows also has them by window number: {@code startByWindow[w]..startByWindow[w
     * + 1]} are its positions in window {@code w} (empty: not there), {@code maxFreqByWindow[w]} and
     * {@code blocksByWindow[w]} as above; for other terms these are {@code null} and a window is found by binary
     * search in {@code windows}.
     *
     * <p>{@code docFreq} and {@code totalTermFreq} are the segment's statistics as Lucene keeps them (deleted
     * documents included), which is what BM25's idf is computed from.
     */
    record TermPostings(int[] docs, int[] freqs, int[] windows, int[] windowStart, int[] windowMaxFreq, int[] windowBlocks,
            int[] startByWindow, int[] maxFreqByWindow, int[] blocksByWindow, int docFreq, long totalTermFreq) {}

    private final Map<String, TermPostings> terms;
    private final byte[] norms;
    private final int[] luceneDoc;
    private final int[] idRank;
    private final byte[] windowMinNorm;
    private final int maxDoc;

    private HeapPostings(Map<String, TermPostings> terms, byte[] norms, int[] luceneDoc, int maxDoc) {
        this.terms = terms;
        this.norms = norms;
        this.luceneDoc = luceneDoc;
        this.idRank = new int[maxDoc];
        this.maxDoc = maxDoc;
        int windows = windows(maxDoc);
        this.windowMinNorm = new byte[windows];
        for (int w = 0; w < windows; w++) {
            int min = 0xFF;
            for (int d = w * MaxScoreTopK.WINDOW, end = Math.min(maxDoc, d + MaxScoreTopK.WINDOW); d < end; d++) {
                min = Math.min(min, norms[d] & 0xFF);
            }
            windowMinNorm[w] = (byte) min;
        }
    }

    private static int windows(int maxDoc) {
        return (maxDoc + MaxScoreTopK.WINDOW - 1) / MaxScoreTopK.WINDOW;
    }

    /**
     * Reads the postings and norms of {@code field} of one segment, in heap order ({@link DocOrder}). Its id ranks
     * are set by {@link #setIdRanks} before use.
     */
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
        // 1. every term's live postings in segment doc order
        List<String> names = new ArrayList<>();
        List<int[]> termDocs = new ArrayList<>();
        List<int[]> termFreqs = new ArrayList<>();
        List<long[]> stats = new ArrayList<>();
        Terms t = leaf.terms(field);
        if (t != null) {
            Bits live = leaf.getLiveDocs();
            TermsEnum te = t.iterator();
            PostingsEnum pe = null;
            int[] docs = new int[1024];
            int[] freqs = new int[1024];
            for (BytesRef term = te.next(); term != null; term = te.next()) {
                pe = te.postings(pe, PostingsEnum.FREQS);
                int n = 0;
                boolean allOnes = true;
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
                }
                names.add(term.utf8ToString());
                termDocs.add(Arrays.copyOf(docs, n));
                termFreqs.add(allOnes ? null : Arrays.copyOf(freqs, n));
                stats.add(new long[] {te.docFreq(), te.totalTermFreq()});
            }
        }
        // 2. the heap order, then every term's postings renumbered into it
        int[] order = DocOrder.order(norms, termDocs);
        int[] heapDoc = new int[maxDoc];
        byte[] heapNorms = new byte[maxDoc];
        for (int hd = 0; hd < maxDoc; hd++) {
            heapDoc[order[hd]] = hd;
            heapNorms[hd] = norms[order[hd]];
        }
        int nt = names.size();
        Map<String, TermPostings> map = new HashMap<>(nt * 2);
        Renumbering renumber = new Renumbering(heapDoc);
        for (int i = 0; i < nt; i++) {
            int[] docs = termDocs.get(i);
            termDocs.set(i, null); // renumbered in place below; the list lets go of it
            renumber.apply(docs, termFreqs.get(i));
            long[] s = stats.get(i);
            map.put(names.get(i), withWindows(docs, termFreqs.get(i), maxDoc, (int) s[0], s[1]));
        }
        return new HeapPostings(map, heapNorms, order, maxDoc);
    }

    /**
     * Renumbers postings into the heap order and sorts them again, frequencies alongside: by an LSD radix sort on the
     * heap doc ids for long lists (a few passes of plain loops, quick to compile on the first, cold, load), by
     * {@link Arrays#sort} for short ones.
     */
    private static final class Renumbering {
        /** Lists at least this long are radix sorted (shorter ones cost less than the radix histogram). */
        private static final int RADIX_MIN = 2048;
        private static final int RADIX_BITS = 11;

        private final int[] heapDoc;
        private final int passes;
        private final int[] count = new int[1 << RADIX_BITS];
        private int[] docs2 = new int[0];
        private int[] freqs2 = new int[0];
        private long[] pairs = new long[0];

        Renumbering(int[] heapDoc) {
            this.heapDoc = heapDoc;
            int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, heapDoc.length - 1));
            this.passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
        }

        /** Maps {@code docs} (segment doc ids) to heap doc ids and sorts them, {@code freqs} (or {@code null}) along. */
        void apply(int[] docs, int[] freqs) {
            int n = docs.length;
            for (int p = 0; p < n; p++) docs[p] = heapDoc[docs[p]];
            if (n >= RADIX_MIN) {
                radixSort(docs, freqs);
            } else if (freqs == null) {
                Arrays.sort(docs);
            } else {
                if (pairs.length < n) pairs = new long[Math.max(n, RADIX_MIN)];
                for (int p = 0; p < n; p++) pairs[p] = (long) docs[p] << 32 | freqs[p];
                Arrays.sort(pairs, 0, n);
                for (int p = 0; p < n; p++) {
                    docs[p] = (int) (pairs[p] >>> 32);
                    freqs[p] = (int) pairs[p];
                }
            }
        }

        private void radixSort(int[] docs, int[] freqs) {
            int n = docs.length;
            if (docs2.length < n) {
                docs2 = new int[n];
                freqs2 = new int[n];
            }
            boolean withFreqs = freqs != null;
            int[] d = docs, f = freqs, d2 = docs2, f2 = freqs2;
            int mask = (1 << RADIX_BITS) - 1;
            for (int pass = 0, shift = 0; pass < passes; pass++, shift += RADIX_BITS) {
                Arrays.fill(count, 0);
                for (int p = 0; p < n; p++) count[(d[p] >>> shift) & mask]++;
                for (int i = 0, sum = 0; i < count.length; i++) {
                    int c = count[i];
                    count[i] = sum;
                    sum += c;
                }
                for (int p = 0; p < n; p++) {
                    int j = count[(d[p] >>> shift) & mask]++;
                    d2[j] = d[p];
                    if (withFreqs) f2[j] = f[p];
                }
                int[] t = d;
                d = d2;
                d2 = t;
                if (withFreqs) {
                    t = f;
                    f = f2;
                    f2 = t;
                }
            }
            if (d != docs) { // an odd number of passes: the result is in the scratch arrays
                System.arraycopy(d, 0, docs, 0, n);
                if (withFreqs) System.arraycopy(f, 0, freqs, 0, n);
            }
        }
    }

    /** The term's postings with their window index. */
    private static TermPostings withWindows(int[] docs, int[] freqs, int maxDoc, int docFreq, long ttf) {
        int n = 0;
        int last = -1;
        for (int d : docs) {
            int w = d / MaxScoreTopK.WINDOW;
            if (w != last) n++;
            last = w;
        }
        int[] windows = new int[n];
        int[] start = new int[n];
        int[] maxFreq = freqs == null ? null : new int[n];
        int[] blocks = new int[n];
        n = -1;
        last = -1;
        for (int p = 0; p < docs.length; p++) {
            int w = docs[p] / MaxScoreTopK.WINDOW;
            if (w != last) {
                windows[++n] = w;
                start[n] = p;
                last = w;
            }
            if (maxFreq != null) maxFreq[n] = Math.max(maxFreq[n], freqs[p]);
            blocks[n] |= 1 << (docs[p] % MaxScoreTopK.WINDOW / Long.SIZE);
        }
        int[] startByWindow = null;
        int[] maxFreqByWindow = null;
        int[] blocksByWindow = null;
        int all = windows(maxDoc);
        if ((long) windows.length * DENSE_WINDOWS >= all) {
            startByWindow = new int[all + 1];
            blocksByWindow = new int[all];
            if (maxFreq != null) maxFreqByWindow = new int[all];
            // window w's positions start where the first later window that has the term starts
            for (int w = all, i = windows.length; w >= 0; w--) {
                while (i > 0 && windows[i - 1] >= w) i--;
                startByWindow[w] = i < windows.length ? start[i] : docs.length;
                if (i < windows.length && windows[i] == w) {
                    blocksByWindow[w] = blocks[i];
                    if (maxFreqByWindow != null) maxFreqByWindow[w] = maxFreq[i];
                }
            }
        }
        return new TermPostings(docs, freqs, windows, start, maxFreq, blocks, startByWindow, maxFreqByWindow, blocksByWindow,
                docFreq, ttf);
    }

    /** The postings of {@code term}, or {@code null} when no document of this segment ever contained it. */
    TermPostings get(String term) {
        return terms.get(term);
    }

    /** Encoded length norm of every document (index = heap doc id). Do not modify. */
    byte[] norms() {
        return norms;
    }

    /**
     * Sets every document's rank in (caption id, doc) order, the tie-break of equal scores, from the ranks of all
     * top-level documents ({@link IdRanks}); {@code docBase} is the segment's first top-level doc id. Called once,
     * before the postings are searched.
     */
    void setIdRanks(int[] idRank, int docBase) {
        for (int hd = 0; hd < maxDoc; hd++) this.idRank[hd] = idRank[docBase + luceneDoc[hd]];
    }

    /** Rank in (caption id, doc) order of heap document {@code heapDoc} ({@link #setIdRanks}). */
    int idRank(int heapDoc) {
        return idRank[heapDoc];
    }

    /** Smallest norm (unsigned) of each {@link MaxScoreTopK#WINDOW}-document window of the heap order. */
    byte windowMinNorm(int window) {
        return windowMinNorm[window];
    }

    /** Number of {@link MaxScoreTopK#WINDOW}-document windows. */
    int windows() {
        return windowMinNorm.length;
    }

    /** The segment doc id of heap document {@code heapDoc}. */
    int luceneDoc(int heapDoc) {
        return luceneDoc[heapDoc];
    }

    int maxDoc() {
        return maxDoc;
    }
}
