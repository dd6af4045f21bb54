package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.tga4j.eval.ClipEmbedder;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.Hit;
import org.tga4j.retrieval.RetrievalQuery;
import org.tga4j.runtime.RandomModels;

/** tga index → tga retrieve --json → tga augment, and the CLIP wiring (index --clip, retrieve --image), in-process through picocli. */
class RetrievalCommandsTest {
    @TempDir Path tmp;

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.newCommandLine().execute(args);
            assertEquals(0, rc, "tga " + String.join(" ", args) + " failed:\n" + buf);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail; returns what it printed to stderr. */
    private String fail(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        int rc = Main.newCommandLine().setErr(new java.io.PrintWriter(err, true)).execute(args);
        assertNotEquals(0, rc, "tga " + String.join(" ", args) + " should fail");
        return err.toString();
    }

    @Test
    void clipTextTowerFillsTheVectorsAndAnImageRetrievesCaptions() throws Exception {
        Path clip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 6, 1, 32, 32, 8), tmp.resolve("clip"));
        String[] texts = {"a red apple on a table", "a blue car parked in the street", "a brown dog sleeping on a sofa",
            "a kitchen knife with a wooden handle", "green grass in a park", "a white cat on a windowsill"};
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < texts.length; i++) jsonl.append("{\"id\": \"c").append(i).append("\", \"text\": \"").append(texts[i]).append("\"}\n");
        Path caps = Files.writeString(tmp.resolve("captions.jsonl"), jsonl);
        Path idx = tmp.resolve("clip-index");

        String out = run("index", "--captions", caps.toString(), "--index", idx.toString(), "--clip", clip.toString(), "--threads", "2");
        assertTrue(out.contains("holds 6 captions") && out.contains("vectors: clip-"), out);

        nu.pattern.OpenCV.loadLocally();
        Path image = tmp.resolve("query.png");
        assertTrue(Imgcodecs.imwrite(image.toString(), new Mat(40, 56, CvType.CV_8UC3, new Scalar(30, 60, 200))));

        String clipName;
        try (ClipEmbedder e = ClipEmbedder.load(clip); CaptionIndex index = CaptionIndex.open(idx)) {
            clipName = e.name();
            assertEquals(e.name(), index.metadata().embedder());
            assertEquals(e.dimension(), index.metadata().dimension());
            // the stored vectors are the text tower's: each caption finds itself at cosine 1
            for (int i = 0; i < texts.length; i++) {
                Hit top = index.dense(e).retrieve(RetrievalQuery.text(texts[i]), 1).get(0);
                assertEquals("c" + i, top.id());
                assertEquals(1.0, top.score(), 1e-4);
            }

            JsonNode hits = new ObjectMapper().readTree(run("retrieve", "--index", idx.toString(), "--image", image.toString(),
                    "--clip", clip.toString(), "-k", "3", "--json"));
            assertEquals(3, hits.size());
            // brute force over the captions: (1 + cos(image, caption)) / 2, best first, ties by id
            float[] iv = e.embedImage(image);
            List<double[]> expected = new ArrayList<>();
            for (int i = 0; i < texts.length; i++) {
                float[] tv = e.embedText(texts[i]);
                double dot = 0;
                for (int j = 0; j < iv.length; j++) dot += iv[j] * tv[j];
                expected.add(new double[] {i, (1 + dot) / 2});
            }
            expected.sort(Comparator.comparingDouble((double[] a) -> -a[1]).thenComparingDouble(a -> a[0]));
            for (int r = 0; r < 3; r++) {
                JsonNode h = hits.get(r);
                assertEquals(r + 1, h.get("rank").asInt());
                assertEquals("dense", h.get("retriever").asText());
                assertEquals("c" + (int) expected.get(r)[0], h.get("id").asText(), "rank " + (r + 1));
                assertEquals(expected.get(r)[1], h.get("score").asDouble(), 1e-4);
                if (r > 0) assertTrue(h.get("score").asDouble() <= hits.get(r - 1).get("score").asDouble(), "scores in order");
            }
            // hybrid with an image and a text: the text's own caption is fused in
            JsonNode hybrid = new ObjectMapper().readTree(run("retrieve", "--index", idx.toString(), "--image", image.toString(),
                    "--query", "brown dog sofa", "--retriever", "hybrid", "--clip", clip.toString(), "-k", "6", "--json"));
            assertEquals(6, hybrid.size());
            assertEquals("hybrid-rrf", hybrid.get(0).get("retriever").asText());
        }

        // clear errors for the ways the wiring can be misused
        assertTrue(fail("index", "--captions", caps.toString(), "--index", tmp.resolve("x").toString(), "--embedder", "clip")
                .contains("--embedder clip needs --clip DIR"));
        assertTrue(fail("retrieve", "--index", idx.toString(), "--image", image.toString()).contains("pass --clip DIR"));
        assertTrue(fail("retrieve", "--index", idx.toString(), "--image", image.toString(), "--clip", clip.toString(),
                "--retriever", "bm25").contains("--image needs --retriever dense or hybrid"));
        assertTrue(fail("retrieve", "--index", idx.toString(), "--image", tmp.resolve("missing.png").toString(),
                "--clip", clip.toString()).contains("no such file"));
        Path otherClip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 7, 1, 32, 32, 8), tmp.resolve("clip2"));
        assertTrue(fail("retrieve", "--index", idx.toString(), "--image", image.toString(), "--clip", otherClip.toString())
                .contains("holds vectors of embedder " + clipName));
    }

    @Test
    void indexRetrieveAugment() throws Exception {
        Path caps = Files.writeString(tmp.resolve("captions.jsonl"), """
                {"id": "k1", "text": "a kitchen knife with a wooden handle on a table"}
                {"id": "k2", "contents": "a sharp knife next to a cutting board"}
                {"id": "d1", "text": "a brown dog sleeping on a sofa"}
                {"id": "x1", "text": 42}
                """);
        Path idx = tmp.resolve("index");
        String out = run("index", "--captions", caps.toString(), "--index", idx.toString(), "--k1", "1.2", "--b", "0.75");
        assertTrue(out.contains("holds 3 captions") && out.contains("k1=1.2 b=0.75"), out);
        assertTrue(out.contains("1 bad record skipped (first: " + caps + ": record 3 (line 4): field \"text\" must be a string"), out);

        JsonNode hits = new ObjectMapper().readTree(run("retrieve", "--index", idx.toString(), "--query", "knife (sharp) && \"board", "-k", "2", "--json"));
        assertEquals(2, hits.size());
        assertEquals("k2", hits.get(0).get("id").asText());
        assertEquals("bm25", hits.get(0).get("retriever").asText());

        Path data = Files.writeString(tmp.resolve("data.json"), """
                [{"id": "k1", "image": "k1.jpg", "conversations": [{"from": "human", "value": "<image>\\nDescribe the image."},
                  {"from": "gpt", "value": "a kitchen knife with a wooden handle on a table"}]}]
                """);
        Path aug = tmp.resolve("aug.json");
        out = run("augment", "--index", idx.toString(), "--data", data.toString(), "--out", aug.toString());
        assertTrue(out.contains("1 augmented"), out);
        JsonNode rec = new ObjectMapper().readTree(aug.toFile()).get(0);
        assertEquals("a sharp knife next to a cutting board", rec.get("retrieved_caption").asText());
        assertEquals("k2", rec.get("retrieved_id").asText());
        assertEquals("exclude-self", rec.get("retrieval_rule").asText());
        assertEquals("bm25", rec.get("retriever").asText());
        assertTrue(out.contains("0 bad records"), out);

        // a record whose image escapes --image-root: skipped and reported by default, fatal with --fail-on-bad
        Path withBad = Files.writeString(tmp.resolve("with-bad.json"), """
                [{"id": "k1", "image": "k1.jpg", "conversations": [{"from": "human", "value": "<image>\\nDescribe."},
                  {"from": "gpt", "value": "a kitchen knife with a wooden handle on a table"}]},
                 {"id": "evil", "image": "../../etc/passwd", "conversations": [{"from": "human", "value": "<image>"},
                  {"from": "gpt", "value": "a knife"}]}]
                """);
        String before = Files.readString(aug);
        String[] failing = {"augment", "--index", idx.toString(), "--data", withBad.toString(), "--out", aug.toString(),
                "--image-root", tmp.resolve("images").toString(), "--fail-on-bad"};
        assertEquals(1, Main.newCommandLine().setErr(new java.io.PrintWriter(new ByteArrayOutputStream(), true)).execute(failing));
        assertEquals(before, Files.readString(aug), "--fail-on-bad leaves the existing output untouched");
        out = run(java.util.Arrays.copyOf(failing, failing.length - 1));
        assertTrue(out.contains("1 augmented") && out.contains("1 bad (skipped)"), out);
        assertTrue(out.contains("1 bad record skipped (first: " + withBad + ": record 1 (line 3): image path"), out);
        assertEquals(1, new ObjectMapper().readTree(aug.toFile()).size());
    }
}
