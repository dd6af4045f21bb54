package org.tga4j.retrieval;

import java.util.Arrays;
import java.util.List;
import org.apache.lucene.search.similarities.Similarity.SimScorer;

/**
 * Exact top-k BM25 over {@link HeapPostings}, window by window, best window first. A query's {@link Plan} bounds
 * every {@link #WINDOW}-document window of the heap order by the sum of its terms' bounds there (a term's bound in
 * a window: its score at its highest frequency there and the window's shortest norm; 0 when it does not occur in
 * it), from the terms' window indexes alone, and orders the windows by that bound, highest first. The search then
 * scores windows in that order until a window's bound is below the current k-th score: no later window can hold a
 * document that enters. The heap order (by length, captions sharing their common words together: {@link DocOrder})
 * makes the bounds tight, so the best windows raise the k-th score at once and most windows are never read. In a
 * window that is read, the same sum over its {@link #BLOCKS} blocks of 64 documents leaves out the blocks that
 * cannot reach the k-th score either, and the terms that occur only there.
 *
 * <p>Inside a window, by MaxScore: the window's terms are sorted by their bounds; the low-scoring prefix whose
 * bounds add up to less than the k-th score is "non-essential" (a document matching only those cannot enter the top
 * k), so candidates come only from the essential terms, and the non-essential terms are looked up per candidate
 * only while the candidate can still reach the k-th score.
 *
 * <p>Scores are Lucene's: every term score is {@link SimScorer#score(float, long)} of the document's frequency and
 * norm, a document's score is the sum of its term scores in {@code double} cast to {@code float}, as in Lucene's
 * boolean scorers. (The sum of a few floats is exact in double, so the order of addition does not matter.) Bounds
 * rely on the {@link SimScorer} contract (a score never falls as the frequency grows, never rises as the norm grows,
 * norms compared unsigned). A candidate or window is dropped only when even its upper bound rounds to a float
 * strictly below the current k-th score, so ties with the k-th score always reach {@link TopK}, which orders them
 * by id.
 *
 * <p>Not thread-safe: one instance per thread (it holds the window buffers); a {@link Plan} may be shared.
 */
final class MaxScoreTopK {
    /**
     * Documents per window, the unit of ordering and skipping. Smaller windows have tighter bounds but cost more per
     * query to bound and order (on 1M synthetic captions, A/B in one process: 2,048 against 512 gave a 3-9% lower p50
     * and a 17-26% lower p99, 1,024 about half that; 4,096 against 2,048 a 5% higher p50 and a 4% lower p99).
     */
    static final int WINDOW = 2048;
    /**
     * Blocks of {@link Long#SIZE} documents (one word of the candidate bitset) per window: a window whose terms' bounds
     * reach the k-th score is scored only in the blocks where they still do. A term's blocks in a window are the bits
     * of one int.
     */
    static final int BLOCKS = WINDOW / Long.SIZE;

    static {
        if (WINDOW % Long.SIZE != 0 || BLOCKS > Integer.SIZE) throw new AssertionError("a window must be 1-32 blocks of 64");
    }

    /** Up to this many postings per candidate, a non-essential term is walked through the window instead of seeked. */
    private static final int WALK_PER_CANDIDATE = 32;

    private final double[] acc = new double[WINDOW];
    private final long[] bits = new long[BLOCKS];
    private final double[] blockBound = new double[BLOCKS];
    /**
     * Cursors for the query's terms ({@code pool}); a window's terms by bound ascending ({@code cur[0..m)}), and the
     * best score of {@code cur[0..i]} together ({@code upper[i]}).
     */
    private Cursor[] pool = new Cursor[0];
    private Cursor[] cur = new Cursor[0];
    private double[] upper = new double[0];
    /** The segment of the window being scored ({@code -1}: none yet). */
    private int segment;

    /** One query term: its Lucene scorer, and its scores at low frequencies by encoded norm. */
    static final class QueryTerm {
        /** Frequencies up to this have their scores tabled (caption words rarely occur more often in one caption). */
        private static final int TABLED_FREQS = 4;

        final String term;
        final SimScorer sim;
        /** {@code byFreq[f][norm]}: the score at frequency {@code f <= TABLED_FREQS}, at the norms the index has. */
        final float[][] byFreq = new float[TABLED_FREQS + 1][];
        final float[] freqOne;

        /** @param norms the encoded norms that occur in the index (scores at other norms are never asked for) */
        QueryTerm(String term, SimScorer sim, byte[] norms) {
            this.term = term;
            this.sim = sim;
            for (int f = 1; f <= TABLED_FREQS; f++) {
                float[] table = new float[256];
                for (byte n : norms) table[n & 0xFF] = sim.score(f, n);
                byFreq[f] = table;
            }
            this.freqOne = byFreq[1];
        }

        /** The term's score at frequency {@code freq >= 1} and norm {@code norm} (one the index has). */
        float score(int freq, byte norm) {
            return freq <= TABLED_FREQS ? byFreq[freq][norm & 0xFF] : sim.score(freq, norm);
        }
    }

    /**
     * Buckets of the window order: windows are ordered by bound in this many equal steps from 0 to the best bound
     * (a counting sort, cheaper than sorting thousands of windows per query); within a step, in window order.
     */
    private static final int BOUND_STEPS = 128;

    /**
     * One query over a set of segments: the terms' postings in each, and every window holding at least one term,
     * best bound first by {@link #BOUND_STEPS} steps (windows of segment {@code s} are numbered from
     * {@code windowBase[s]}). Read-only once built.
     */
    static final class Plan {
        final HeapPostings[] segments;
        final int[] docBase;
        final QueryTerm[] terms;
        final HeapPostings.TermPostings[][] postings;
        final int[] windowBase;
        /** Global window numbers, best step first, and their bounds. */
        final int[] order;
        final float[] bound;
        /** Step {@code i} of the order is {@code order[stepStart[i]..stepStart[i + 1])}, bounded by {@code stepMax[i]}. */
        final int[] stepStart;
        final float[] stepMax;

        private Plan(HeapPostings[] segments, int[] docBase, QueryTerm[] terms, HeapPostings.TermPostings[][] postings,
                int[] windowBase, int[] order, float[] bound, int[] stepStart, float[] stepMax) {
            this.segments = segments;
            this.docBase = docBase;
            this.terms = terms;
            this.postings = postings;
            this.windowBase = windowBase;
            this.order = order;
            this.bound = bound;
            this.stepStart = stepStart;
            this.stepMax = stepMax;
        }

        /** Number of windows that hold at least one query term. */
        int size() {
            return order.length;
        }
    }

    /**
     * Bounds and orders the windows of {@code segments} (top-level doc ids from {@code docBase}) for {@code query}.
     */
    static Plan plan(HeapPostings[] segments, int[] docBase, List<QueryTerm> query) {
        QueryTerm[] terms = query.toArray(new QueryTerm[0]);
        HeapPostings.TermPostings[][] postings = new HeapPostings.TermPostings[segments.length][terms.length];
        int[] windowBase = new int[segments.length + 1];
        for (int s = 0; s < segments.length; s++) windowBase[s + 1] = windowBase[s] + segments[s].windows();
        double[] sum = new double[windowBase[segments.length]];
        for (int s = 0; s < segments.length; s++) {
            HeapPostings seg = segments[s];
            int base = windowBase[s];
            for (int t = 0; t < terms.length; t++) {
                HeapPostings.TermPostings p = seg.get(terms[t].term);
                if (p == null || p.docs().length == 0) continue;
                postings[s][t] = p;
                int[] ws = p.windows();
                int[] maxFreq = p.windowMaxFreq();
                QueryTerm q = terms[t];
                if (maxFreq == null) {
                    float[] freqOne = q.freqOne;
                    for (int w : ws) sum[base + w] += freqOne[seg.windowMinNorm(w) & 0xFF];
                } else {
                    for (int i = 0; i < ws.length; i++) sum[base + ws[i]] += q.score(maxFreq[i], seg.windowMinNorm(ws[i]));
                }
            }
        }
        // counting sort of the non-empty windows into BOUND_STEPS steps of bound, best first
        float best = 0;
        int nonEmpty = 0;
        for (double v : sum) {
            if (v != 0) {
                nonEmpty++;
                best = Math.max(best, (float) v);
            }
        }
        int[] stepStart = new int[BOUND_STEPS + 1];
        float[] stepMax = new float[BOUND_STEPS];
        float scale = best == 0 ? 0 : (BOUND_STEPS - 1) / best;
        for (double v : sum) {
            if (v != 0) stepStart[step((float) v, scale) + 1]++;
        }
        for (int i = 0; i < BOUND_STEPS; i++) stepStart[i + 1] += stepStart[i];
        int[] fill = Arrays.copyOf(stepStart, BOUND_STEPS);
        int[] order = new int[nonEmpty];
        float[] bound = new float[nonEmpty];
        for (int gw = 0; gw < sum.length; gw++) {
            if (sum[gw] == 0) continue;
            float b = (float) sum[gw];
            int st = step(b, scale);
            int i = fill[st]++;
            order[i] = gw;
            bound[i] = b;
            stepMax[st] = Math.max(stepMax[st], b);
        }
        return new Plan(segments, docBase, terms, postings, windowBase, order, bound, stepStart, stepMax);
    }

    /** The step of a window bounded by {@code bound}: 0 for the best, {@code BOUND_STEPS - 1} for the lowest. */
    private static int step(float bound, float scale) {
        return BOUND_STEPS - 1 - Math.min(BOUND_STEPS - 1, (int) (bound * scale));
    }

    /** A query term's postings in one window. */
    private static final class Cursor {
        QueryTerm q;
        int[] docs;
        int[] freqs;
        int pos;
        int end;
        /** The term's highest frequency in the window, its bound there, and the window's blocks that hold it. */
        int maxFreq;
        float bound;
        int blocks;

        /** Points this cursor at {@code p}'s postings in window {@code w}; {@code false} when it has none there. */
        boolean position(HeapPostings.TermPostings p, int w) {
            int[] byWindow = p.startByWindow();
            if (byWindow != null) {
                pos = byWindow[w];
                end = byWindow[w + 1];
                if (pos == end) return false;
                maxFreq = p.maxFreqByWindow() == null ? 1 : p.maxFreqByWindow()[w];
                blocks = p.blocksByWindow()[w];
            } else {
                int k = Arrays.binarySearch(p.windows(), w);
                if (k < 0) return false;
                pos = p.windowStart()[k];
                end = k + 1 < p.windowStart().length ? p.windowStart()[k + 1] : p.docs().length;
                maxFreq = p.windowMaxFreq() == null ? 1 : p.windowMaxFreq()[k];
                blocks = p.windowBlocks()[k];
            }
            docs = p.docs();
            freqs = p.freqs();
            return true;
        }
    }

    /**
     * Offers to {@code top} every document that can enter it from the windows {@code slice, slice + slices, ...} of
     * the plan's order (all of them for {@code slice = 0, slices = 1}).
     */
    void search(Plan plan, int slice, int slices, TopK top) {
        int nt = plan.terms.length;
        if (pool.length < nt) {
            pool = new Cursor[nt];
            for (int i = 0; i < nt; i++) pool[i] = new Cursor();
            cur = new Cursor[nt];
            upper = new double[nt];
        }
        segment = -1;
        try {
            int i = slice;
            for (int st = 0; st < BOUND_STEPS; st++) {
                if (plan.stepMax[st] < top.threshold()) { // this step and every later one are bounded lower
                    if (plan.stepStart[st] < plan.stepStart[st + 1]) return;
                    continue;
                }
                for (; i < plan.stepStart[st + 1]; i += slices) {
                    if (plan.bound[i] >= top.threshold()) window(plan, plan.order[i], top);
                }
            }
        } catch (RuntimeException e) {
            Arrays.fill(acc, 0); // leave the buffers clean for this thread's next query
            Arrays.fill(bits, 0);
            throw e;
        }
    }

    /** Scores global window {@code gw} of the plan, in the blocks where its terms can still reach the k-th score. */
    private void window(Plan plan, int gw, TopK top) {
        if (segment < 0 || gw < plan.windowBase[segment] || gw >= plan.windowBase[segment + 1]) {
            segment = segmentOf(plan.windowBase, gw);
            top.setDocBase(plan.docBase[segment]);
        }
        HeapPostings seg = plan.segments[segment];
        int w = gw - plan.windowBase[segment];
        byte minNorm = seg.windowMinNorm(w);
        float thr = top.threshold();
        // the window's terms by bound ascending, and the bound of each of its blocks
        Cursor[] pool = this.pool;
        Cursor[] cur = this.cur;
        double[] upper = this.upper;
        int m = 0;
        double[] blockBound = this.blockBound;
        Arrays.fill(blockBound, 0);
        for (int t = 0; t < plan.terms.length; t++) {
            HeapPostings.TermPostings p = plan.postings[segment][t];
            Cursor c = pool[m];
            if (p == null || !c.position(p, w)) continue;
            c.q = plan.terms[t];
            float b = c.q.score(c.maxFreq, minNorm);
            c.bound = b;
            for (int blocks = c.blocks; blocks != 0; blocks &= blocks - 1) blockBound[Integer.numberOfTrailingZeros(blocks)] += b;
            int j = m++;
            while (j > 0 && cur[j - 1].bound > b) {
                cur[j] = cur[j - 1];
                j--;
            }
            cur[j] = c;
        }
        int open = 0; // the blocks whose terms' bounds together still reach the k-th score
        for (int b = 0; b < BLOCKS; b++) if ((float) blockBound[b] >= thr) open |= 1 << b;
        if (open == 0) return;
        int kept = 0; // the terms in those blocks
        for (int j = 0; j < m; j++) if ((cur[j].blocks & open) != 0) cur[kept++] = cur[j];
        m = kept;
        double sum = 0;
        for (int j = 0; j < m; j++) upper[j] = sum += cur[j].bound;
        int essential = 0;
        while (essential < m && (float) upper[essential] < thr) essential++;
        if (essential == m) return; // the bounds, re-added, round below the k-th score after all
        int ws = w * WINDOW;
        scoreWindow(m, essential, seg, ws, Math.min(seg.maxDoc(), ws + WINDOW), open, top);
    }

    private static int segmentOf(int[] windowBase, int gw) {
        int s = 0;
        while (gw >= windowBase[s + 1]) s++;
        return s;
    }

    /**
     * Scores the {@code open} blocks of window {@code [ws, we)} of {@code segment}, whose terms are {@code cur[0..m)},
     * {@code cur[essential..m)} essential.
     */
    private void scoreWindow(int m, int essential, HeapPostings segment, int ws, int we, int open, TopK top) {
        Cursor[] cur = this.cur;
        double[] upper = this.upper;
        byte[] norms = segment.norms();
        for (int i = essential; i < m; i++) accumulate(cur[i], norms, ws, open);
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
                if (score >= thr && top.offer(segment.idRank(ws + o), segment.luceneDoc(ws + o), score)) thr = top.threshold();
            }
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
     * Adds the scores of {@code c}'s documents in the window to the window's candidates only: by walking the term's
     * postings in the window when there are at most {@link #WALK_PER_CANDIDATE} per candidate (a walk costs far less
     * per posting than a seek; limits of 24 and 64 measured ~3% faster than 8), else by seeking each candidate.
     */
    private void addNonEssential(Cursor c, byte[] norms, int ws, int we, int candidates) {
        int[] docs = c.docs;
        if (c.end - c.pos <= WALK_PER_CANDIDATE * candidates) {
            for (int p = c.pos; p < c.end; p++) {
                int d = docs[p];
                int o = d - ws;
                if ((bits[o >>> 6] & (1L << o)) != 0) acc[o] += score(c, p, d, norms);
            }
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

    /** Adds the scores of {@code c}'s documents in the {@code open} blocks of the window into it. */
    private void accumulate(Cursor c, byte[] norms, int ws, int open) {
        int[] docs = c.docs;
        double[] acc = this.acc;
        long[] bits = this.bits;
        if (c.freqs == null) {
            float[] table = c.q.freqOne;
            for (int p = c.pos, end = c.end; p < end; p++) {
                int o = docs[p] - ws;
                if ((open & 1 << (o >>> 6)) == 0) continue;
                acc[o] += table[norms[ws + o] & 0xFF];
                bits[o >>> 6] |= 1L << o;
            }
        } else {
            for (int p = c.pos, end = c.end; p < end; p++) {
                int d = docs[p];
                int o = d - ws;
                if ((open & 1 << (o >>> 6)) == 0) continue;
                acc[o] += score(c, p, d, norms);
                bits[o >>> 6] |= 1L << o;
            }
        }
    }

    private static float score(Cursor c, int p, int d, byte[] norms) {
        return c.freqs == null ? c.q.freqOne[norms[d] & 0xFF] : c.q.score(c.freqs[p], norms[d]);
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
}
