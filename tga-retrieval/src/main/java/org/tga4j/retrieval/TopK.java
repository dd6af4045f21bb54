package org.tga4j.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.util.NumericUtils;

/**
 * The best {@code n} documents offered, ranked by score descending, then caption id ascending (byte order, as
 * Lucene's {@code STRING_VAL} sort compares ids), then doc id: the last two by the documents' ranks in that order
 * ({@link IdRanks}), so a tie costs an int comparison, no id read. Documents may be offered in any order.
 */
final class TopK {
    /** One ranked document; {@code doc} is the top-level doc id. */
    record Entry(int doc, float score) {}

    private final int n;
    /** Min-heap of {@link #key}s (the worst entry at 0) and, in the same places, their top-level doc ids. */
    private final long[] keys;
    private final int[] docs;
    private int size;
    private float threshold = Float.NEGATIVE_INFINITY;
    private int docBase;
    /** The best k-th score among the slices of one query ({@link #sharing}), as a sortable int; {@code null}: alone. */
    private final AtomicInteger shared;

    TopK(int n) {
        this(n, null);
    }

    private TopK(int n, AtomicInteger shared) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        this.n = n;
        this.shared = shared;
        this.keys = new long[n];
        this.docs = new int[n];
    }

    /**
     * A top {@code n} for one of several parallel slices of a query, that share {@code kth}: the best k-th score any
     * of them has reached (start: {@link #NO_SCORE}). Its {@link #threshold()} is the higher of its own and that one,
     * which stays exact: a slice holding {@code n} documents scoring at least {@code s} proves that no document
     * scoring below {@code s} is among the query's best {@code n}, wherever it is.
     */
    static TopK sharing(int n, AtomicInteger kth) {
        return new TopK(n, kth);
    }

    /** The start value of a shared k-th score: no score yet. */
    static final int NO_SCORE = NumericUtils.floatToSortableInt(Float.NEGATIVE_INFINITY);

    /** Documents offered from now on are doc ids of the segment whose first top-level doc id is {@code docBase}. */
    void setDocBase(int docBase) {
        this.docBase = docBase;
    }

    /**
     * Lowest score that can still enter ({@code -inf} until full); a document scoring exactly this enters only if its
     * id is smaller. With {@link #sharing}, the best k-th score of all slices, if higher.
     */
    float threshold() {
        if (shared == null) return threshold;
        return Math.max(threshold, NumericUtils.sortableIntToFloat(shared.get()));
    }

    /**
     * One long that orders entries as the ranking does, greater = better: the score (as a sortable int) above the
     * id rank, reversed (a smaller rank is better). Ranks are distinct, so keys are too.
     */
    private static long key(float score, int rank) {
        return (long) NumericUtils.floatToSortableInt(score) << 32 | (0xFFFF_FFFFL - rank);
    }

    /** Offers segment doc {@code doc}, of id rank {@code rank}, with {@code score}; returns whether it entered. */
    boolean offer(int rank, int doc, float score) {
        return add(key(score, rank), docBase + doc);
    }

    private boolean add(long key, int topDoc) {
        if (size == n) {
            if (key < keys[0]) return false;
            keys[0] = key;
            docs[0] = topDoc;
            siftDown();
        } else {
            siftUp(size++, key, topDoc);
        }
        if (size == n) {
            int kth = (int) (keys[0] >>> 32);
            threshold = NumericUtils.sortableIntToFloat(kth);
            if (shared != null) shared.accumulateAndGet(kth, Math::max);
        }
        return true;
    }

    private void siftUp(int i, long key, int doc) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) break;
            keys[i] = keys[parent];
            docs[i] = docs[parent];
            i = parent;
        }
        keys[i] = key;
        docs[i] = doc;
    }

    private void siftDown() {
        long key = keys[0];
        int doc = docs[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && keys[child + 1] < keys[child]) child++;
            if (keys[child] >= key) break;
            keys[i] = keys[child];
            docs[i] = docs[child];
            i = child;
        }
        keys[i] = key;
        docs[i] = doc;
    }

    /** Adds every entry of {@code other} (merging parallel slices). */
    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) add(other.keys[i], other.docs[i]);
    }

    /** The entries, best first. */
    List<Entry> ranked() {
        long[] byKey = new long[size];
        for (int i = 0; i < size; i++) byKey[i] = keys[i];
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(byKey[b], byKey[a]));
        List<Entry> out = new ArrayList<>(size);
        for (int i : order) out.add(new Entry(docs[i], NumericUtils.sortableIntToFloat((int) (keys[i] >>> 32))));
        return out;
    }
}
