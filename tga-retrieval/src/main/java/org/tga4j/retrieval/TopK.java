package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.BytesRef;

/**
 * The best {@code n} documents offered, ranked by score descending, then caption id ascending (byte order, as
 * Lucene's {@code STRING_VAL} sort compares ids), then doc id. Ids are read from the id doc values only for documents
 * that enter, or tie with the n-th.
 */
final class TopK {
    /** One ranked document; {@code doc} is the top-level doc id. */
    record Entry(int doc, float score, BytesRef id) {}

    /** Best first. */
    static final Comparator<Entry> RANK = TopK::rank;

    private static int rank(Entry a, Entry b) {
        int c = Float.compare(b.score, a.score);
        if (c != 0) return c;
        c = a.id.compareTo(b.id);
        return c != 0 ? c : Integer.compare(a.doc, b.doc);
    }

    private final int n;
    private final PriorityQueue<Entry> worstFirst;
    private float threshold = Float.NEGATIVE_INFINITY;
    private BinaryDocValues ids;
    private int docBase;
    private LeafReaderContext leaf;

    TopK(int n) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        this.n = n;
        this.worstFirst = new PriorityQueue<>(n + 1, (a, b) -> rank(b, a));
    }

    /** Documents offered from now on are doc ids of {@code leaf}, in increasing order. */
    void setLeaf(LeafReaderContext leaf) throws IOException {
        this.leaf = leaf;
        this.docBase = leaf.docBase;
        this.ids = null;
    }

    /** Lowest score that can still enter ({@code -inf} until full); a document scoring exactly this enters only if its id is smaller. */
    float threshold() {
        return threshold;
    }

    /** Offers segment doc {@code doc} with {@code score}; returns whether it entered. Docs come in increasing order per leaf. */
    boolean offer(int doc, float score) throws IOException {
        if (worstFirst.size() == n) {
            Entry worst = worstFirst.peek();
            if (score < worst.score) return false;
            BytesRef id = id(doc);
            if (score == worst.score && RANK.compare(new Entry(docBase + doc, score, id), worst) > 0) return false;
            worstFirst.poll();
            worstFirst.add(new Entry(docBase + doc, score, id));
        } else {
            worstFirst.add(new Entry(docBase + doc, score, id(doc)));
        }
        if (worstFirst.size() == n) threshold = worstFirst.peek().score;
        return true;
    }

    private BytesRef id(int doc) throws IOException {
        if (ids == null) {
            ids = leaf.reader().getBinaryDocValues(CaptionSchema.ID);
            if (ids == null) throw new IOException("caption index segment " + leaf.reader() + " has no id doc values (index built by an older version?)");
        }
        if (!ids.advanceExact(doc)) throw new IOException("document " + (docBase + doc) + " has no caption id");
        return BytesRef.deepCopyOf(ids.binaryValue());
    }

    /** Adds every entry of {@code other} (merging parallel slices). */
    void addAll(TopK other) {
        for (Entry e : other.worstFirst) {
            worstFirst.add(e);
            if (worstFirst.size() > n) worstFirst.poll();
        }
        if (worstFirst.size() == n) threshold = worstFirst.peek().score;
    }

    /** The entries, best first. */
    List<Entry> ranked() {
        List<Entry> out = new ArrayList<>(worstFirst);
        out.sort(RANK);
        return out;
    }
}
