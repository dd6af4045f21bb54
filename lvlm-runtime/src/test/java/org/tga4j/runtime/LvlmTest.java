package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.model.WeightPrecision;
import org.tga4j.runtime.text.SpanKind;

/** The public API end to end on a random llava checkpoint written to disk. */
class LvlmTest {
    @TempDir static Path dir;
    static Path modelDir, image;
    static Lvlm lvlm;

    @BeforeAll
    static void writeModel() {
        nu.pattern.OpenCV.loadLocally();
        modelDir = RandomModels.write(new RandomModels.Spec("llava", 2, 64, 4, 2, 0, 400, 5, 2, 64, 32, 8),
                dir.resolve("llava"));
        image = dir.resolve("red.png");
        Imgcodecs.imwrite(image.toString(), new Mat(40, 30, CvType.CV_8UC3, new Scalar(0, 0, 255)));
        lvlm = Lvlm.load(modelDir);
    }

    @AfterAll
    static void close() {
        lvlm.close();
    }

    @Test
    void writtenCheckpointHasTheHfLayout() {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "preprocessor_config.json", "generation_config.json")) {
            assertTrue(Files.exists(modelDir.resolve(f)), f);
        }
        assertTrue(lvlm.parameters().containsKey("multi_modal_projector.linear_2.weight"));
        assertTrue(lvlm.parameters().containsKey("language_model.model.layers.1.mlp.gate_proj.weight"));
    }

    @Test
    void generatesWithAnImageAndStreamsTheSameText() {
        Request r = Request.withImage("What colour is it?", image);
        Generation g = lvlm.generate(r, lvlm.greedy(6));
        assertEquals(16 + 0, lvlm.model().llavaConfig().imageTokensPerImage());
        int imageTokens = 0;
        for (int id : g.promptTokenIds()) if (id == lvlm.model().llavaConfig().imageTokenIndex()) imageTokens++;
        assertEquals(16, imageTokens);
        StringBuilder streamed = new StringBuilder();
        Generation s = lvlm.generate(r, lvlm.greedy(6), streamed::append);
        assertArrayEquals(g.tokenIds(), s.tokenIds());
        assertEquals(g.text(), streamed.toString());
        assertEquals(lvlm.tokenizer().decode(g.tokenIds()), g.text());
    }

    @Test
    void forwardExposesEveryHiddenStateAndTheImageSpan() {
        try (NDManager m = NDManager.newBaseManager()) {
            Forward f = lvlm.forward(m, Request.withImage("Describe.", image), true);
            assertEquals(3, f.output().hiddenStates().size());
            var span = f.prompt().layout().first(SpanKind.IMAGE).orElseThrow();
            assertEquals(16, span.end() - span.start());
            assertEquals(List.of(1L, 16L, 64L), List.of(f.imageEmbeddings().getShape().getShape()[0],
                    f.imageEmbeddings().getShape().get(1), f.imageEmbeddings().getShape().get(2)));
            // The image span's embeddings are the projector's output, row for row.
            float[] spliced = f.output().hiddenStates().get(0).get("0, " + span.start() + ":" + span.end()).toFloatArray();
            assertArrayEquals(f.imageEmbeddings().toFloatArray(), spliced, 0f);
        }
    }

    @Test
    void firstStepProbabilitiesOfABatchAreEachPromptsOwnNextTokenDistribution() {
        // Prompts of different lengths (left-padded in the batch), with and without an image.
        List<Request> batch = List.of(Request.withImage("What colour is it?", image), Request.text("Hi"),
                Request.withImage("Describe the picture in a few words, please.", image));
        float[][] seen = new float[batch.size()][];
        List<Generation> gens = lvlm.generate(batch, lvlm.greedy(3), (row, p) -> seen[row] = p);
        List<Generation> plain = lvlm.generate(batch, lvlm.greedy(3));
        for (int i = 0; i < batch.size(); i++) {
            assertArrayEquals(plain.get(i).tokenIds(), gens.get(i).tokenIds(), "row " + i + ": same generation");
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray logits = lvlm.forward(m, batch.get(i), false).output().logits();
                float[] alone = logits.get(0).get(logits.getShape().get(1) - 1).softmax(-1).toFloatArray();
                assertEquals(alone.length, seen[i].length);
                assertArrayEquals(alone, seen[i], 1e-5f, "row " + i);
                int best = 0;
                for (int t = 1; t < alone.length; t++) if (seen[i][t] > seen[i][best]) best = t;
                assertEquals(gens.get(i).tokenIds()[0], best, "row " + i + ": greedy's first token is the most probable");
            }
        }
    }

    @Test
    void float16WeightsKeepTheModelsPredictions() {
        try (Lvlm half = Lvlm.load(modelDir, null, WeightPrecision.FLOAT16); NDManager m = NDManager.newBaseManager()) {
            String layer = "language_model.model.layers.1.";
            assertEquals(DataType.FLOAT16, half.parameters().get(layer + "self_attn.k_proj.weight").getDataType());
            assertEquals(DataType.FLOAT16, half.parameters().get(layer + "mlp.down_proj.weight").getDataType());
            assertEquals(DataType.FLOAT32, half.parameters().get(layer + "input_layernorm.weight").getDataType());
            assertEquals(DataType.FLOAT32, half.parameters().get("multi_modal_projector.linear_2.weight").getDataType());
            // Prefill (the prompt) and decode steps (batch 1 and a batch of 2) against the float32 model.
            Request r = Request.withImage("What colour is it?", image);
            float[] full = lvlm.forward(m, r, false).output().logits().toFloatArray();
            float[] approx = half.forward(m, r, false).output().logits().toFloatArray();
            assertArrayEquals(full, approx, 2e-2f);
            List<Request> batch = List.of(r, Request.text("Hi"));
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(lvlm.generate(batch.get(i), lvlm.greedy(6)).tokenIds(),
                        half.generate(batch.get(i), half.greedy(6)).tokenIds(), "request " + i);
            }
            List<Generation> together = half.generate(batch, half.greedy(6));
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(lvlm.generate(batch.get(i), lvlm.greedy(6)).tokenIds(), together.get(i).tokenIds());
            }
        }
    }

    @Test
    void concurrentRequestsShareOneModel() throws Exception {
        Request r = Request.withImage("Hello", image);
        int[] expected = lvlm.generate(r, lvlm.greedy(5)).tokenIds();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) futures.add(pool.submit(() -> lvlm.generate(r, lvlm.greedy(5)).tokenIds()));
            for (Future<int[]> f : futures) assertArrayEquals(expected, f.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badInputsAreClearErrors() throws Exception {
        IllegalArgumentException twoPlaceholders = assertThrows(IllegalArgumentException.class,
                () -> lvlm.encode(new Request("<image> and <image>", List.of(image), null, null)));
        assertTrue(twoPlaceholders.getMessage().contains("2 <image> placeholder(s) but 1 image"), twoPlaceholders.getMessage());

        Path corrupt = dir.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Exception bad = assertThrows(RuntimeException.class,
                () -> lvlm.generate(Request.withImage("x", corrupt), lvlm.greedy(2)));
        assertTrue(bad.getMessage().contains("corrupt.png"), bad.getMessage());

        Path unknown = Files.createDirectories(dir.resolve("unknown"));
        Files.writeString(unknown.resolve("config.json"), "{\"model_type\": \"gpt_neox\"}");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(unknown));
        assertTrue(type.getMessage().contains("unknown model_type 'gpt_neox'"), type.getMessage());
        assertTrue(type.getMessage().contains("config.json"), type.getMessage());

        assertFalse(Files.exists(dir.resolve("none")));
        Exception missing = assertThrows(IllegalArgumentException.class, () -> Lvlm.load(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("config.json"), missing.getMessage());
    }
}
