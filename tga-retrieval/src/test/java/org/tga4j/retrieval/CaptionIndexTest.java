package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.CaptionRecord;

class CaptionIndexTest {
    @TempDir Path tmp;

    private Path build(IndexSettings s, CaptionRecord... recs) throws IOException {
        Path dir = tmp.resolve("idx");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, s, null)) {
            w.addAll(List.of(recs).iterator());
            w.commit();
        }
        return dir;
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }

    @Test
    void rankingScoresAndTieOrderAreAsHandComputed() throws IOException {
        Path dir = build(IndexSettings.defaults().withThreads(1),
                new CaptionRecord("apple-1", "a red apple on a table"),
                new CaptionRecord("z-car", "a red car"),
                new CaptionRecord("b-car", "a red car"),
                new CaptionRecord("grass", "green grass"));
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals(4, idx.size());
            IndexMetadata m = idx.metadata();
            assertEquals(0.9f, m.k1());
            assertEquals(0.4f, m.b());
            assertEquals(4, m.docCount());
            assertEquals("english", m.analyzer());

            List<Hit> hits = idx.bm25().retrieve(RetrievalQuery.text("red car"), 10);
            // identical texts tie on score and come back by id ascending (b-car was added after z-car)
            assertEquals(List.of("b-car", "z-car", "apple-1"), ids(hits));
            assertEquals(hits.get(0).score(), hits.get(1).score());
            assertTrue(hits.get(1).score() > hits.get(2).score());
            assertEquals("a red car", hits.get(0).text());
            assertTrue(hits.stream().allMatch(h -> h.retriever().equals("bm25")));

            // BM25 by hand: "apple" occurs in 1 of 4 docs; doc length 3 terms (red, appl, tabl), avgdl = 9/4
            double idf = Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5));
            double tf = 1 / (1 + 0.9 * (1 - 0.4 + 0.4 * 3 / 2.25));
            List<Hit> apple = idx.bm25().retrieve(RetrievalQuery.text("apples"), 3);
            assertEquals(List.of("apple-1"), ids(apple));
            assertEquals(idf * tf, apple.get(0).score(), 1e-5);

            assertEquals(List.of("b-car"), ids(idx.bm25().retrieve(RetrievalQuery.text("red car"), 1)));
        }
    }

    @Test
    void selfHitIsExcludedById() throws IOException {
        Path dir = build(IndexSettings.defaults(),
                new CaptionRecord("q", "a brown dog on a sofa"),
                new CaptionRecord("other", "a brown dog in a garden"),
                new CaptionRecord("far", "a cat"));
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            RetrievalQuery q = RetrievalQuery.text("a brown dog on a sofa");
            assertEquals("q", idx.bm25().retrieve(q, 1).get(0).id());
            assertEquals(List.of("other"), ids(idx.bm25().retrieve(q.excluding("q"), 5)));
        }
    }

    @Test
    void tiesAcrossSegmentsComeBackByIdAndExclusionKeepsK() throws IOException {
        Path dir = tmp.resolve("ties");
        List<CaptionRecord> cars = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) cars.add(new CaptionRecord(String.format("c%02d", (i * 37) % 60), "a red car"));
        // two commits on two threads: several segments, and doc order unrelated to id order
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(cars.subList(30, 60).iterator());
            w.add(new CaptionRecord("a-far", "a red bicycle"));
            w.commit();
        }
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(cars.subList(0, 30).iterator());
            w.commit();
        }
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            RetrievalQuery q = RetrievalQuery.text("red car");
            assertEquals(List.of("c00", "c01", "c02", "c03", "c04"), ids(idx.bm25().retrieve(q, 5)));
            assertEquals(List.of("c00", "c01", "c03", "c04", "c05"), ids(idx.bm25().retrieve(q.excluding("c02"), 5)));
            assertEquals(List.of("c00", "c01", "c02", "c03", "c04"), ids(idx.bm25().retrieve(q.excluding("a-far"), 5)));
            assertEquals(List.of("c00", "c01", "c02", "c03", "c04"), ids(idx.bm25().retrieve(q.excluding("no-such-id"), 5)));
            List<Hit> all = idx.bm25().retrieve(q.excluding("c59"), 100);
            assertEquals(60, all.size(), "59 tied cars and the bicycle");
            assertEquals("c58", all.get(58).id());
            assertEquals("a-far", all.get(59).id());
        }
    }

    @Test
    void parallelSlicesGiveTheSameHitsAsOneThread() throws IOException {
        Path dir = tmp.resolve("sliced");
        SyntheticCaptions gen = new SyntheticCaptions(5);
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(RetrievalBenchmark.range(gen, 0, 4000));
            w.commit();
        }
        try (CaptionIndex one = CaptionIndex.open(dir); CaptionIndex sliced = CaptionIndex.open(dir, 3)) {
            assertEquals(3, sliced.searcher().getSlices().length, "4000 docs cut into 3 slices");
            assertEquals(1, one.searcher().getSlices().length);
            for (int i = 0; i < 300; i++) {
                RetrievalQuery q = RetrievalQuery.text(new SyntheticCaptions(6).caption(i).text());
                if (i % 3 == 0) q = q.excluding("syn-" + i);
                assertEquals(one.bm25().retrieve(q, 10), sliced.bm25().retrieve(q, 10), "query " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CaptionIndex.open(dir, 0));
    }

    @Test
    void specialCharactersNeverBreakTheQuery() throws IOException {
        Path dir = build(IndexSettings.defaults(),
                new CaptionRecord("1", "C++ code: a[i] = b || c && d; \"quoted\" (parens) {braces} ~tilde^2 wild* card? AND OR NOT"),
                new CaptionRecord("2", "a plain caption about a dog"));
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            for (String q : List.of("C++ code: a[i] = b || c && d;", "\"unbalanced", "(((", "wild* card?", "AND OR NOT",
                    "field:value", "/regex/", "\\", "~", "^2", "-", "!", "😀 emoji ünïcödé", "")) {
                List<Hit> hits = assertDoesNotThrow(() -> idx.bm25().retrieve(RetrievalQuery.text(q), 5), q);
                assertTrue(hits.stream().noneMatch(h -> h.id().equals("2")), q);
            }
            assertEquals("1", idx.bm25().retrieve(RetrievalQuery.text("wild* card?"), 5).get(0).id());
            assertTrue(idx.bm25().retrieve(RetrievalQuery.text("the a of"), 5).isEmpty(), "stopwords only: no terms, no hits");
        }
    }

    @Test
    void incrementalAddAppendsAndReplacesDuplicateIds() throws IOException {
        Path dir = build(IndexSettings.defaults(),
                new CaptionRecord("a", "a yellow taxi"),
                new CaptionRecord("b", "a blue boat"));
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), null)) {
            w.addAll(List.of(new CaptionRecord("c", "a green tractor"), new CaptionRecord("a", "a purple kite")).iterator());
            IndexMetadata m = w.commit();
            assertEquals(3, m.docCount());
        }
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals(3, idx.size());
            assertEquals("a purple kite", idx.get("a").orElseThrow().text());
            assertTrue(idx.bm25().retrieve(RetrievalQuery.text("taxi"), 5).isEmpty());
            assertEquals("c", idx.bm25().retrieve(RetrievalQuery.text("tractor"), 5).get(0).id());
        }
        // duplicates within one fresh build: the later caption wins, also across indexing threads
        Path fresh = tmp.resolve("fresh");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(fresh, IndexSettings.defaults().withThreads(3), null)) {
            List<CaptionRecord> recs = new java.util.ArrayList<>();
            for (int i = 0; i < 5000; i++) recs.add(new CaptionRecord("id" + (i % 1000), "caption version " + (i / 1000)));
            w.addAll(recs.iterator());
            assertEquals(1000, w.commit().docCount());
        }
        try (CaptionIndex idx = CaptionIndex.open(fresh)) {
            assertEquals(1000, idx.size());
            assertEquals("caption version 4", idx.get("id7").orElseThrow().text());
        }
    }

    @Test
    void longAndNonAsciiCaptionsComeBackVerbatim() throws IOException {
        String longText = "a very long caption " + "with many repeated words and ünïcödé 😀 ".repeat(2500); // ~110k chars
        Path dir = build(IndexSettings.defaults(),
                new CaptionRecord("long", longText),
                new CaptionRecord("short", "a short caption with ünïcödé"));
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals(longText, idx.get("long").orElseThrow().text());
            List<Hit> hits = idx.bm25().retrieve(RetrievalQuery.text("ünïcödé caption"), 2);
            assertEquals(new ReferenceBm25(idx).retrieve(RetrievalQuery.text("ünïcödé caption"), 2), hits);
            assertEquals(longText, hits.stream().filter(h -> h.id().equals("long")).findFirst().orElseThrow().text());
            assertEquals("a short caption with ünïcödé", idx.get("short").orElseThrow().text());
        }
    }

    @Test
    void uncommittedAdditionsAreDiscardedOnClose() throws IOException {
        Path dir = build(IndexSettings.defaults(), new CaptionRecord("a", "a yellow taxi"));
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), null)) {
            w.add(new CaptionRecord("b", "a blue boat"));
        }
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals(1, idx.size());
        }
    }

    @Test
    void mismatchedSettingsAndMissingIndexGiveClearErrors() throws IOException {
        Path dir = build(IndexSettings.defaults(), new CaptionRecord("a", "a yellow taxi"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaptionIndexWriter.open(dir, IndexSettings.defaults().withBm25(1.2f, 0.75f), null));
        assertTrue(e.getMessage().contains("k1=0.9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaptionIndexWriter.open(dir, IndexSettings.defaults(), new HashingTextEmbedder(32)));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException io = assertThrows(IOException.class, () -> CaptionIndex.open(empty));
        assertTrue(io.getMessage().contains(empty.toString()), io.getMessage());
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertThrows(IllegalStateException.class, () -> idx.dense(new HashingTextEmbedder(32)));
        }
    }

    @Test
    void batchRetrievalMatchesSequentialRetrieval() throws IOException {
        SyntheticCaptions gen = new SyntheticCaptions(7);
        Path dir = tmp.resolve("syn");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), null)) {
            w.addAll(RetrievalBenchmark.range(gen, 0, 3000));
            w.commit();
        }
        try (CaptionIndex idx = CaptionIndex.open(dir); BatchRetriever batch = new BatchRetriever(idx.bm25(), 4)) {
            List<RetrievalQuery> qs = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) qs.add(RetrievalQuery.text(gen.caption(i).text()).excluding("syn-" + i));
            List<List<Hit>> all = batch.retrieveAll(qs, 5);
            assertEquals(200, all.size());
            for (int i = 0; i < 200; i++) {
                assertEquals(idx.bm25().retrieve(qs.get(i), 5), all.get(i));
                assertFalse(ids(all.get(i)).contains("syn-" + i));
            }
        }
    }

    @Test
    void aFailingEmbedderFailsTheBuildNamingTheCaption() throws IOException {
        Embedder wrong = new Embedder() {
            public float[] embedText(String text) { float[] v = new float[text.contains("bad") ? 3 : 8]; v[0] = 1; return v; }
            public float[] embedImage(Path image) { throw new UnsupportedOperationException(); }
            public int dimension() { return 8; }
            public String name() { return "wrong"; }
        };
        Path dir = tmp.resolve("failing");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), wrong)) {
            List<CaptionRecord> recs = new java.util.ArrayList<>();
            for (int i = 0; i < 3000; i++) recs.add(new CaptionRecord("id" + i, i == 1234 ? "a bad one" : "fine"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.addAll(recs.iterator()));
            assertTrue(e.getMessage().contains("id1234"), e.getMessage());
        }
    }
}
