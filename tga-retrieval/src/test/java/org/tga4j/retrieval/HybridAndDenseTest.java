package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.CaptionRecord;

class HybridAndDenseTest {
    @TempDir Path tmp;

    @Test
    void rrfArithmeticMatchesHandComputation() {
        List<Hit> bm25 = List.of(hit("a"), hit("b"), hit("c"));
        List<Hit> dense = List.of(hit("c"), hit("a"), hit("d"));
        List<Hit> fused = ReciprocalRankFusion.fuse(List.of(bm25, dense), 60, 10);
        // a: 1/61 + 1/62, c: 1/63 + 1/61, b: 1/62, d: 1/63
        assertEquals(List.of("a", "c", "b", "d"), fused.stream().map(Hit::id).toList());
        assertEquals(1.0 / 61 + 1.0 / 62, fused.get(0).score(), 1e-12);
        assertEquals(1.0 / 63 + 1.0 / 61, fused.get(1).score(), 1e-12);
        assertEquals(1.0 / 62, fused.get(2).score(), 1e-12);
        assertEquals(1.0 / 63, fused.get(3).score(), 1e-12);
        assertTrue(fused.stream().allMatch(h -> h.retriever().equals("hybrid-rrf")));
        assertEquals("text-a", fused.get(0).text());
        // ties are broken by id; topK truncates
        List<Hit> tie = ReciprocalRankFusion.fuse(List.of(List.of(hit("y")), List.of(hit("x"))), 1, 1);
        assertEquals(List.of("x"), tie.stream().map(Hit::id).toList());
        assertEquals(0.5, tie.get(0).score(), 1e-12);
    }

    private static Hit hit(String id) {
        return new Hit(id, "text-" + id, 1.0, "x");
    }

    @Test
    void hashingEmbedderIsDeterministicAndNormalised() {
        HashingTextEmbedder e = new HashingTextEmbedder(64);
        float[] a = e.embedText("A red apple on the table");
        assertArrayEquals(a, new HashingTextEmbedder(64).embedText("a red apple on the table"));
        double n = 0;
        for (float x : a) n += x * x;
        assertEquals(1.0, n, 1e-5);
        assertEquals("hashing-bow-64", e.name());
        assertEquals(64, HashingTextEmbedder.fromName("hashing-bow-64").orElseThrow().dimension());
        assertTrue(cos(a, e.embedText("a blue car")) < 0.5);
        assertTrue(cos(a, e.embedText("red apples on tables")) > 0.99);
    }

    private static double cos(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += a[i] * b[i];
        return d;
    }

    @Test
    void imageToTextKnnWithATwoTowerEmbedder() throws IOException {
        ColorEmbedder emb = new ColorEmbedder();
        Path dir = tmp.resolve("idx");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), emb)) {
            w.addAll(List.of(
                    new CaptionRecord("r", "a red ball on the floor"),
                    new CaptionRecord("g", "a green leaf in the garden"),
                    new CaptionRecord("b", "a blue car on a street"),
                    new CaptionRecord("y", "a yellow lemon")).iterator());
            w.commit();
        }
        Path green = image(tmp.resolve("green.png"), 0x20c030);
        Path blue = image(tmp.resolve("blue.png"), 0x1020e0);
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals("color-histogram", idx.metadata().embedder());
            Retriever dense = idx.dense(emb);
            List<Hit> hits = dense.retrieve(new RetrievalQuery(null, green, null), 2);
            assertEquals("g", hits.get(0).id());
            assertEquals("dense", hits.get(0).retriever());
            assertEquals("b", dense.retrieve(new RetrievalQuery(null, blue, null), 1).get(0).id());
            assertNotEquals("g", dense.retrieve(new RetrievalQuery(null, green, "g"), 1).get(0).id());
            // hybrid: text says "red ball", image is green; both candidates present, fused by rank
            List<Hit> fused = idx.hybrid(emb).retrieve(new RetrievalQuery("a red ball", green, null), 4);
            assertEquals("hybrid-rrf", fused.get(0).retriever());
            assertTrue(fused.stream().map(Hit::id).toList().containsAll(List.of("r", "g")));
            assertThrows(IllegalArgumentException.class, () -> idx.dense(new HashingTextEmbedder(7 + 1)));
        }
    }

    static Path image(Path p, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) img.setRGB(x, y, (x + y) % 7 == 0 ? 0xffffff : rgb);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    /**
     * A toy two-tower embedder sharing one space: images map to their colour histogram over six prototype colours,
     * texts to the colour words they contain. Deterministic, and meaningful (a green image is near "green" texts).
     */
    static final class ColorEmbedder implements Embedder {
        static final String[] NAMES = {"red", "green", "blue", "yellow", "black", "white"};
        static final int[][] RGB = {{220, 30, 30}, {30, 190, 50}, {20, 30, 220}, {230, 220, 30}, {0, 0, 0}, {255, 255, 255}};

        @Override
        public float[] embedText(String text) {
            float[] v = new float[NAMES.length + 1];
            v[NAMES.length] = 0.05f;
            for (String w : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
                for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(w)) v[i] += 1;
            }
            return v;
        }

        @Override
        public float[] embedImage(Path image) {
            BufferedImage img;
            try {
                img = ImageIO.read(image.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (img == null) throw new IllegalArgumentException("not an image: " + image);
            float[] v = new float[NAMES.length + 1];
            v[NAMES.length] = 0.05f;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int c = img.getRGB(x, y);
                    int best = 0;
                    long bestD = Long.MAX_VALUE;
                    for (int i = 0; i < RGB.length; i++) {
                        long dr = ((c >> 16) & 255) - RGB[i][0], dg = ((c >> 8) & 255) - RGB[i][1], db = (c & 255) - RGB[i][2];
                        long d = dr * dr + dg * dg + db * db;
                        if (d < bestD) {
                            bestD = d;
                            best = i;
                        }
                    }
                    v[best] += 1f / (img.getWidth() * img.getHeight());
                }
            }
            return v;
        }

        @Override
        public int dimension() {
            return NAMES.length + 1;
        }

        @Override
        public String name() {
            return "color-histogram";
        }

        @Override
        public boolean supportsImages() {
            return true;
        }
    }
}
