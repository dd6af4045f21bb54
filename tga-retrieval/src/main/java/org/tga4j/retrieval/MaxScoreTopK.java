package org.tga4j.retrieval;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.search.similarities.Similarity.SimScorer;

/**
 * Exact top-k BM25 over one segment's {@link HeapPostings} (a range of its documents), by the MaxScore algorithm:
 * query terms sorted by their best possible score; the low-scoring prefix whose best scores add up to less than the
 * current k-th score is "non-essential" (a document matching only those cannot enter the top k), so candidates come
 * only from the essential terms, scored a window of documents at a time, and the non-essential terms are looked up
 * per candidate only while the candidate can still reach the k-th score.
 *
 * <p>Scores are Lucene's: every term score is {@link SimScorer#score(float, long)} of the document's frequency and
 * norm, a document's score is the sum of its term scores in {@code double} cast to {@code float}, as in Lucene's
 * boolean scorers. (The sum of a few floats is exact in double, so the order of addition does not matter.) A
 * candidate is dropped only when even its upper bound rounds to a float strictly below the current k-th score, so
 * ties with the k-th score always reach {@link TopK}, which orders them by id.
 *
 * <p>Not thread-safe: one instance per thread (it holds the window buffers).
 */
final class MaxScoreTopK {
    private static final int WINDOW = 4096;

    private final double[] acc = new double[WINDOW];
    private final long[] bits = new long[WINDOW / 64];

    /** One query term: its Lucene scorer, and its scores at frequency 1 by encoded norm. */
    static final class QueryTerm {
        final String term;
        final SimScorer sim;
        final float[] freqOne = new float[256];

        QueryTerm(String term, SimScorer sim) {
            this.term = term;
            this.sim = sim;
            for (int n = 0; n < 256; n++) freqOne[n] = sim.score(1f, (byte) n);
        }
    }

    /** A query term's cursor over one segment range. */
    private static final class Cursor {
        final QueryTerm q;
        final int[] docs;
        final int[] freqs;
        final float max;
        int pos;
        final int end;

        Cursor(QueryTerm q, HeapPostings.TermPostings p, int from, int to) {
            this.q = q;
            this.docs = p.docs();
            this.freqs = p.freqs();
            float m = 0;
            for (long pair : p.maxFreqByNorm()) {
                m = Math.max(m, q.sim.score((float) (int) pair, (byte) (pair >>> 32)));
            }
            this.max = m;
            this.pos = lowerBound(docs, 0, docs.length, from);
            this.end = lowerBound(docs, pos, docs.length, to);
        }
    }

    /** Offers to {@code top} every document of {@code [from, to)} of {@code segment} that can enter it. */
    void search(HeapPostings segment, List<QueryTerm> query, int from, int to, TopK top) throws IOException {
        Cursor[] cur = new Cursor[query.size()];
        int nt = 0;
        for (QueryTerm q : query) {
            HeapPostings.TermPostings p = segment.get(q.term);
            if (p == null || p.docs().length == 0) continue;
            Cursor c = new Cursor(q, p, from, to);
            if (c.pos < c.end) cur[nt++] = c;
        }
        if (nt == 0) return;
        cur = Arrays.copyOf(cur, nt);
        Arrays.sort(cur, (a, b) -> Float.compare(a.max, b.max));
        double[] upper = new double[nt]; // upper[i]: best possible score from terms 0..i together
        double sum = 0;
        for (int i = 0; i < nt; i++) upper[i] = sum += cur[i].max;
        byte[] norms = segment.norms();

        try {
            scoreWindows(cur, upper, norms, from, to, top);
        } catch (IOException | RuntimeException e) {
            Arrays.fill(acc, 0); // leave the buffers clean for this thread's next query
            Arrays.fill(bits, 0);
            throw e;
        }
    }

    private void scoreWindows(Cursor[] cur, double[] upper, byte[] norms, int from, int to, TopK top) throws IOException {
        int nt = cur.length;
        int essential = firstEssential(upper, 0, top.threshold());
        for (int ws = from; ws < to && essential < nt; ws += WINDOW) {
            int we = Math.min(to, ws + WINDOW);
            for (int i = essential; i < nt; i++) accumulate(cur[i], norms, ws, we);
            float thr = top.threshold();
            int words = (we - ws + 63) >>> 6;
            // non-essential terms, best first: drop the candidates that cannot reach the k-th score even with this
            // and all weaker terms, then add this term's scores to the rest
            for (int i = essential - 1; i >= 0; i--) {
                int candidates = prune(words, upper[i], thr);
                if (candidates == 0) break;
                addNonEssential(cur[i], norms, ws, we, candidates);
            }
            for (int w = 0; w < words; w++) {
                long word = bits[w];
                if (word == 0) continue;
                bits[w] = 0;
                while (word != 0) {
                    int o = (w << 6) + Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    float score = (float) acc[o];
                    acc[o] = 0;
                    if (score >= thr && top.offer(ws + o, score)) thr = top.threshold();
                }
            }
            essential = firstEssential(upper, essential, top.threshold());
        }
    }

    /**
     * Drops the window's candidates whose score so far plus {@code bound} rounds below {@code threshold}; returns how
     * many are left.
     */
    private int prune(int words, double bound, float threshold) {
        int left = 0;
        for (int w = 0; w < words; w++) {
            long word = bits[w];
            long keep = word;
            while (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                int o = (w << 6) + bit;
                if ((float) (acc[o] + bound) < threshold) {
                    keep &= ~(1L << bit);
                    acc[o] = 0;
                }
            }
            bits[w] = keep;
            left += Long.bitCount(keep);
        }
        return left;
    }

    /**
     * Adds the scores of {@code c}'s documents in {@code [ws, we)} to the window's candidates only: by walking the
     * term's postings in the window when there are at most 32 per candidate (a walk costs far less per posting than a
     * seek; limits of 24 and 64 measured ~3% faster than 8), else by seeking each candidate.
     */
    private void addNonEssential(Cursor c, byte[] norms, int ws, int we, int candidates) {
        int[] docs = c.docs;
        int p0 = advance(c, ws);
        if (p0 >= c.end) return;
        int pEnd = lowerBound(docs, p0, Math.min(c.end, p0 + 32 * candidates + 1), we);
        if (pEnd < p0 + 32 * candidates + 1 || pEnd == c.end) {
            for (int p = p0; p < pEnd; p++) {
                int d = docs[p];
                int o = d - ws;
                if ((bits[o >>> 6] & (1L << o)) != 0) acc[o] += score(c, p, d, norms);
            }
            c.pos = pEnd;
            return;
        }
        int words = (we - ws + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            long word = bits[w];
            while (word != 0) {
                int o = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                int d = ws + o;
                int p = advance(c, d);
                if (p >= c.end) return;
                if (docs[p] == d) acc[o] += score(c, p, d, norms);
            }
        }
    }

    /** Adds the scores of {@code c}'s documents in {@code [ws, we)} into the window. */
    private void accumulate(Cursor c, byte[] norms, int ws, int we) {
        int[] docs = c.docs;
        int p = c.pos;
        int end = c.end;
        double[] acc = this.acc;
        long[] bits = this.bits;
        if (c.freqs == null) {
            float[] table = c.q.freqOne;
            for (; p < end; p++) {
                int d = docs[p];
                if (d >= we) break;
                int o = d - ws;
                acc[o] += table[norms[d] & 0xFF];
                bits[o >>> 6] |= 1L << o;
            }
        } else {
            for (; p < end; p++) {
                int d = docs[p];
                if (d >= we) break;
                int o = d - ws;
                acc[o] += score(c, p, d, norms);
                bits[o >>> 6] |= 1L << o;
            }
        }
        c.pos = p;
    }

    private static float score(Cursor c, int p, int d, byte[] norms) {
        int f = c.freqs == null ? 1 : c.freqs[p];
        byte norm = norms[d];
        return f == 1 ? c.q.freqOne[norm & 0xFF] : c.q.sim.score(f, norm);
    }

    /** Moves {@code c} to its first posting with a document {@code >= target} (galloping) and returns that position. */
    private static int advance(Cursor c, int target) {
        int[] docs = c.docs;
        int p = c.pos;
        int end = c.end;
        if (p >= end || docs[p] >= target) return p;
        int lo = p; // docs[lo] < target
        int step = 1;
        int hi = p + 1;
        while (hi < end && docs[hi] < target) {
            lo = hi;
            step <<= 1;
            hi = lo + step;
        }
        c.pos = lowerBound(docs, lo + 1, Math.min(hi, end), target);
        return c.pos;
    }

    /** First index in {@code [from, to)} whose value is {@code >= key} ({@code to} if none). */
    static int lowerBound(int[] a, int from, int to, int key) {
        int lo = from, hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Number of leading terms whose best scores together round below {@code threshold}: those are non-essential. */
    private static int firstEssential(double[] upper, int from, float threshold) {
        int e = from;
        while (e < upper.length && (float) upper[e] < threshold) e++;
        return e;
    }
}
