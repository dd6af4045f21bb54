package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.CaptionRecord;

/**
 * The fast BM25 path ({@link HeapBm25Searcher}) must return exactly what a plain Lucene {@code BooleanQuery} search
 * of SHOULD term clauses (same BM25 similarity) sorted by (score, id) returns: same ids, same float scores, same
 * order, same texts, on one thread and in parallel slices, over ~40k captions in several segments (tens of windows
 * and hundreds of 64-document blocks of the in-memory order to bound and skip), with deleted (replaced) captions, repeated query terms, repeated
 * caption words (window bounds from frequencies above 1), frequent exact ties at the k-th score, and self-hit
 * exclusion. Lowering any bound (a window's, a term's within a window, or the tie at the k-th score) makes it fail.
 */
class HeapBm25ExactnessTest {
    /** Synthetic captions in the corpus (plus ~600 tied, long and replaced ones). */
    private static final int CAPTIONS = 40_000;
    /** Synthetic queries (plus a few hand-written ones), each at 4 values of k. */
    private static final int QUERIES = 600;

    @TempDir Path tmp;

    /** Synthetic captions, plus groups of identical captions (ties) under shuffled ids, repeated words and long texts. */
    private static List<CaptionRecord> corpus(int n, long seed) {
        SyntheticCaptions gen = new SyntheticCaptions(seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<CaptionRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(gen.caption(i));
        String[] tied = {"a red car", "a red car parked near a red bus", "2 dogs in a park at sunset", "a photo of a dog"};
        for (int i = 0; i < 400; i++) {
            out.add(new CaptionRecord(String.format("tie-%04d", (i * 7919) % 400), tied[i % tied.length]));
        }
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 1 + r.nextInt(40);
            for (int w = 0; w < words; w++) sb.append(w % 3 == 0 ? "red " : gen.caption(r.nextInt(n)).text().split(" ")[0] + " ");
            out.add(new CaptionRecord("long-" + i, sb.toString().trim()));
        }
        // a caption whose only word is later replaced away, so its term keeps a document frequency but no live docs
        out.add(new CaptionRecord("ghost", "zanzibarquux"));
        return out;
    }

    private static List<RetrievalQuery> queries(int n, long seed) {
        SyntheticCaptions gen = new SyntheticCaptions(seed);
        List<RetrievalQuery> qs = new ArrayList<>();
        for (int i = 0; i < n; i++) qs.add(RetrievalQuery.text(gen.caption(i).text()));
        for (String t : List.of("a red car", "red red red car", "a red car parked near a red bus", "2 dogs in a park at sunset",
                "photo", "dog dog", "zanzibarquux", "zanzibarquux red", "nosuchwordanywhere", "nosuchwordanywhere car",
                "a photo of a dog in a park near a red car at sunset by the lake")) {
            qs.add(RetrievalQuery.text(t));
        }
        return qs;
    }

    @Test
    void sameHitsScoresAndOrderAsTheLuceneBooleanQuery() throws IOException {
        Path dir = tmp.resolve("idx");
        List<CaptionRecord> recs = corpus(CAPTIONS, 11);
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(recs.subList(0, recs.size() / 2).iterator());
            w.commit();
        }
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(recs.subList(recs.size() / 2, recs.size()).iterator());
            // replace some captions of the first commit: their old versions stay in the segments as deleted docs
            for (int i = 0; i < 300; i++) w.add(new CaptionRecord("syn-" + (i * 7), "a red car replaced " + i));
            w.add(new CaptionRecord("ghost", "a caption that no longer says the word"));
            w.commit();
        }
        try (CaptionIndex one = CaptionIndex.open(dir); CaptionIndex sliced = CaptionIndex.open(dir, 3)) {
            assertTrue(one.searcher().getIndexReader().leaves().size() >= 2, "several segments");
            assertTrue(one.searcher().getIndexReader().hasDeletions(), "replaced captions left deleted docs");
            ReferenceBm25 reference = new ReferenceBm25(one);
            int compared = 0;
            int tiedAtK = 0;
            for (RetrievalQuery q0 : queries(QUERIES, 12)) {
                for (int k : new int[] {1, 3, 10, 57}) {
                    RetrievalQuery q = compared % 5 == 0 ? q0.excluding("tie-0003") : q0;
                    List<Hit> want = reference.retrieve(q, k);
                    assertEquals(want, one.bm25().retrieve(q, k), () -> "one thread, k=" + k + ", query '" + q.text() + "'");
                    assertEquals(want, sliced.bm25().retrieve(q, k), () -> "3 slices, k=" + k + ", query '" + q.text() + "'");
                    List<Hit> more = reference.retrieve(q, k + 1);
                    if (more.size() == k + 1 && more.get(k).score() == more.get(k - 1).score()) tiedAtK++;
                    compared++;
                }
            }
            assertTrue(tiedAtK > 200, "the comparison covered many ties at the k-th score: " + tiedAtK);
            assertEquals(List.of(), one.bm25().retrieve(RetrievalQuery.text("zanzibarquux"), 10), "term of a deleted caption only");
            assertEquals(List.of("tie-0000", "tie-0004", "tie-0008"),
                    one.bm25().retrieve(RetrievalQuery.text("a red car"), 3).stream().map(Hit::id).toList(),
                    "100 identical captions: the smallest ids");
        }
    }
}
