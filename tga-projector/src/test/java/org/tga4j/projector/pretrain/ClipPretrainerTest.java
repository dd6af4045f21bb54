package org.tga4j.projector.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.tga4j.datasets.LlavaJsonWriter;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;
import org.tga4j.runtime.ClipEncoder;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;

class ClipPretrainerTest {
    /** Colour names and their BGR values: each colour's images are captioned with its name. */
    private static final Map<String, Scalar> COLOURS = new java.util.LinkedHashMap<>();

    static {
        COLOURS.put("red", new Scalar(30, 30, 220));
        COLOURS.put("green", new Scalar(40, 200, 40));
        COLOURS.put("blue", new Scalar(220, 60, 30));
        COLOURS.put("yellow", new Scalar(40, 220, 230));
        COLOURS.put("black", new Scalar(20, 20, 20));
        COLOURS.put("white", new Scalar(240, 240, 240));
        COLOURS.put("purple", new Scalar(160, 40, 140));
        COLOURS.put("orange", new Scalar(20, 140, 250));
    }

    @TempDir static Path dir;
    static Path clip, data;

    @BeforeAll
    static void world() throws Exception {
        nu.pattern.OpenCV.loadLocally();
        clip = RandomModels.write(new RandomModels.Spec("clip", 2, 32, 2, 2, 0, 300, 3, 2, 32, 32, 8),
                dir.resolve("clip"));
        Path images = Files.createDirectories(dir.resolve("images"));
        List<LlavaRecord> records = new ArrayList<>();
        int n = 0;
        for (var c : COLOURS.entrySet()) {
            for (int v = 0; v < 3; v++) {
                // Shades and sizes vary a little so no two images are the same.
                Scalar s = c.getValue();
                Scalar shade = new Scalar(clamp(s.val[0] + 8 * v - 8), clamp(s.val[1] - 6 * v + 6), clamp(s.val[2] + 5 * v));
                Mat m = new Mat(28 + 4 * v, 32, CvType.CV_8UC3, shade);
                String file = "img" + n + ".png";
                Imgcodecs.imwrite(images.resolve(file).toString(), m);
                records.add(pair("p" + n++, file, "a " + c.getKey() + " picture"));
            }
        }
        Files.write(images.resolve("corrupt.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        records.add(pair("bad-corrupt", "corrupt.png", "a broken picture"));
        records.add(pair("bad-missing", "nowhere.png", "a missing picture"));
        data = dir.resolve("pairs.json");
        LlavaJsonWriter.writeAll(data, records);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(255, v));
    }

    private static LlavaRecord pair(String id, String image, String caption) {
        return new LlavaRecord(id, image, List.of(new Turn("human", "<image>\nDescribe the picture."),
                new Turn("gpt", caption)));
    }

    @Test
    void symmetricInfoNceMatchesTheHandComputedValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {2, 0, 1, 3}, new ai.djl.ndarray.types.Shape(2, 2));
            // image->text: rows [2,0] target 0, [1,3] target 1; text->image: columns [2,1] target 0, [0,3] target 1.
            double i2t = (lse(2, 0) - 2 + lse(1, 3) - 3) / 2, t2i = (lse(2, 1) - 2 + lse(0, 3) - 3) / 2;
            assertEquals((i2t + t2i) / 2, ClipLoss.symmetric(logits).getFloat(), 1e-5);
            assertThrows(IllegalArgumentException.class,
                    () -> ClipLoss.symmetric(m.zeros(new ai.djl.ndarray.types.Shape(2, 3))));
        }
    }

    private static double lse(double a, double b) {
        return Math.log(Math.exp(a) + Math.exp(b));
    }

    @Test
    void learnsColourCaptionsSkipsBadImagesAndWritesALoadableClip() throws Exception {
        Path out = dir.resolve("trained");
        ClipPretrainConfig cfg = ClipPretrainConfig.defaults().withOverrides(Map.of("model", clip.toString(),
                "data", data.toString(), "imageRoot", dir.resolve("images").toString(),
                // Measured on the training pairs themselves: what the model was taught to match.
                "valData", data.toString(), "output", out.toString(), "batchSize", 8, "epochs", 25,
                "learningRate", 3e-3, "warmupRatio", 0.05, "seed", 5)).withOverrides(Map.of("resetLogitScale", true));
        List<Double> losses = new ArrayList<>();
        int[] started = new int[4];
        ClipPretrainer.Result r = new ClipPretrainer(cfg, new ClipPretrainListener() {
            @Override
            public void started(int totalSteps, int trainPairs, int valPairs, long skipped) {
                started[0] = totalSteps;
                started[1] = trainPairs;
                started[2] = valPairs;
                started[3] = (int) skipped;
            }

            @Override
            public void step(int step, int total, double loss) {
                losses.add(loss);
            }
        }).run(false);

        // 24 good pairs; the corrupt and the missing image are skipped and counted (in both reads of the file).
        assertEquals(24, r.trainPairs());
        assertEquals(24, r.valPairs());
        assertEquals(4, r.skippedRecords());
        assertEquals(List.of(75, 24, 24, 4), List.of(started[0], started[1], started[2], started[3]));
        assertEquals(75, r.steps());
        assertEquals(75, losses.size());

        // The loss falls well below its start (ln 8 ≈ 2.08 for a batch of 8 with no information).
        double firstFive = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lastFive = losses.subList(70, 75).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(lastFive < 0.5 * firstFive, "loss " + firstFive + " -> " + lastFive);
        // Retrieval among the 24 captions (8 distinct): chance is 1/8 for top-1 by caption text.
        assertTrue(r.before().top1() < 0.35, "untrained " + r.before());
        assertTrue(r.after().top1() >= 0.75, "trained " + r.after());

        // HF layout, loadable with the runtime's ClipEncoder, and it retrieves the right colour word.
        for (String f : List.of("config.json", "model.safetensors", "preprocessor_config.json", "tokenizer.json",
                ClipPretrainConfig.FILE, ClipPretrainer.METRICS_FILE, ClipLossPlot.FILE)) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertEquals(75, Files.readAllLines(out.resolve(ClipPretrainer.METRICS_FILE)).size());
        var line = new ObjectMapper().readTree(Files.readAllLines(out.resolve(ClipPretrainer.METRICS_FILE)).get(74));
        assertTrue(line.path("logit_scale").asDouble() <= 100.0001, line.toString());
        assertTrue(line.has("val_top1"), line.toString());
        try (ClipEncoder enc = ClipEncoder.load(out)) {
            List<String> names = List.of("red", "green", "blue", "yellow", "black", "white", "purple", "orange");
            float[][] texts = enc.embedTexts(names.stream().map(c -> "a " + c + " picture").toList());
            List<Path> imgs = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) imgs.add(dir.resolve("images/img" + imageIndexOf(names.get(k)) + ".png"));
            float[][] ims = enc.embedImages(imgs);
            int right = 0;
            for (int k = 0; k < ims.length; k++) {
                int best = 0;
                for (int j = 1; j < texts.length; j++) if (dot(ims[k], texts[j]) > dot(ims[k], texts[best])) best = j;
                if (best == k) right++;
            }
            assertTrue(right >= 6, right + " of 8 colours retrieved by the saved model");
            // Training updated every part: the patch "convolution", the text tower and the log temperature.
            try (Checkpoint before = Checkpoint.open(clip); Checkpoint after = Checkpoint.open(out)) {
                for (String t : List.of("vision_model.embeddings.patch_embedding.weight",
                        "text_model.encoder.layers.0.mlp.fc1.weight", "visual_projection.weight", "logit_scale")) {
                    assertFalse(java.util.Arrays.equals(before.loadFloats(t), after.loadFloats(t)), t + " unchanged");
                }
                assertEquals(before.names(), after.names());
            }
            // The trainer tokenizes captions exactly as ClipEncoder does.
            try (TextTokenizer tok = TextTokenizer.load(out)) {
                ClipCaptionTokenizer ct = new ClipCaptionTokenizer(tok, enc.config().textConfig().maxPositionEmbeddings());
                assertArrayEquals(enc.tokenize("a purple picture"), ct.tokenize("a purple picture"));
            }
        }

        // A second run into the same place is refused unless replacing; failOnBadRecord stops at the corrupt image.
        var e = assertThrows(IllegalArgumentException.class, () -> new ClipPretrainer(cfg, null).run(false));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        var strict = cfg.withOverrides(Map.of("failOnBadRecord", true, "output", dir.resolve("strict").toString()));
        var bad = assertThrows(RuntimeException.class, () -> new ClipPretrainer(strict, null).run(false));
        assertTrue(bad.getMessage().contains("bad-corrupt") || bad.getMessage().contains("corrupt.png"), bad.getMessage());
        assertFalse(Files.exists(dir.resolve("strict")));
    }

    @Test
    void everyTensorGetsAGradientAndZeroingClearsNaNs() throws Exception {
        try (ClipTrainingModel model = ClipTrainingModel.load(clip);
                TextTokenizer tok = TextTokenizer.load(clip);
                NDManager m = model.weights().newSubManager()) {
            ClipCaptionTokenizer ct = new ClipCaptionTokenizer(tok, model.config().textConfig().maxPositionEmbeddings());
            var images = new org.tga4j.runtime.image.ClipImageProcessor(
                    org.tga4j.runtime.image.ImageProcessorConfig.clip(32));
            ClipPairs pairs = ClipPairs.read(data, new org.tga4j.datasets.ImageRoot(dir.resolve("images")),
                    org.tga4j.datasets.BadRecordReport.skipping(), 4, images, ct, 32);
            int[] rows = pairs.all();
            try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                var cm = model.model();
                gc.backward(ClipLoss.symmetric(cm.logitsPerImage(cm.embedImages(pairs.pixels(m, rows)),
                        cm.embedTexts(pairs.texts(m, rows, ct)))));
            }
            // Both towers, both projections, the patch "convolution" (used through a reshaped view) and logit_scale.
            for (var e : model.parameters().entrySet()) {
                if (e.getKey().endsWith(".bias") || e.getKey().contains("norm")) continue;
                try (NDArray g = e.getValue().getGradient(); NDArray a = g.abs().sum()) {
                    assertTrue(a.getFloat() > 0, e.getKey() + " got no gradient");
                }
            }
            model.parameters().values().forEach(p -> {
                try (NDArray g = p.getGradient()) {
                    g.muli(Float.NaN);
                }
            });
            model.zeroGradients();
            for (var e : model.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient(); NDArray a = g.abs().sum()) {
                    assertEquals(0f, a.getFloat(), e.getKey());
                }
            }
        }
    }

    @Test
    void holdsOutAShareOfTheDataWhenNoValFileIsGiven() {
        Path out = dir.resolve("split");
        ClipPretrainConfig cfg = ClipPretrainConfig.defaults().withOverrides(Map.of("model", clip.toString(),
                "data", data.toString(), "imageRoot", dir.resolve("images").toString(), "output", out.toString(),
                "valFraction", 0.25, "batchSize", 4, "maxSteps", 3, "evalGroupSize", 4));
        ClipPretrainer.Result r = new ClipPretrainer(cfg, null).run(false);
        assertEquals(6, r.valPairs());
        assertEquals(18, r.trainPairs());
        assertEquals(2, r.skippedRecords());
        assertEquals(3, r.steps());
        assertEquals(4, r.after().groupSize());
        assertEquals(0.25, r.after().chanceTop1());
        assertEquals(3, assertDoesNotThrow(() -> Files.readAllLines(out.resolve(ClipPretrainer.METRICS_FILE))).size());
        assertEquals(cfg, ClipPretrainConfig.read(out.resolve(ClipPretrainConfig.FILE)));
    }

    @Test
    void notAClipModelIsNamed() {
        Path llama = RandomModels.write(RandomModels.Spec.llama(1, 32, 2, 2, 300, 1), dir.resolve("llama"));
        ClipPretrainConfig cfg = ClipPretrainConfig.defaults().withOverrides(Map.of("model", llama.toString(),
                "data", data.toString(), "output", dir.resolve("x").toString()));
        var e = assertThrows(IllegalArgumentException.class, () -> new ClipPretrainer(cfg, null).run(false));
        assertTrue(e.getMessage().contains("model_type clip") && e.getMessage().contains(llama.toString()),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClipPretrainConfig.defaults().withOverrides(Map.of("batchSize", 1)));
    }

    private static int imageIndexOf(String colour) {
        int k = 0;
        for (String c : COLOURS.keySet()) {
            if (c.equals(colour)) return k * 3 + 1;
            k++;
        }
        throw new IllegalArgumentException(colour);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
