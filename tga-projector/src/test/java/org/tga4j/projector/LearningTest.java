package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * On a tiny model and TinyWorld, stage-1 training with either method lowers the LM loss, and TGA leaves image hidden
 * states closer to their captions' (mean cos in the band) than the baseline does from the same start.
 */
class LearningTest {
    @TempDir Path tmp;

    @Test
    void bothMethodsReduceLmLossAndTgaRaisesImageCaptionCosine() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("model"), 13);
        Path world = Fixtures.world(tmp.resolve("world"), 24);
        Path data = world.resolve("llava/pretrain_train.json");
        Map<String, double[]> after = new java.util.LinkedHashMap<>();
        double[] before = null;
        for (String method : List.of("baseline", "tga")) {
            Path out = tmp.resolve(method);
            TrainConfig cfg = Fixtures.config(model, data, world.resolve("images"), out, 1, method)
                    .withOverrides(Map.of("batchSize", 4, "maxSteps", 8, "learningRate", 5e-3, "warmupRatio", 0.1));
            new Trainer(cfg, null).run(false);
            try (TrainingModel tm = TrainingModel.load(model, false);
                    TextTokenizer tok = TextTokenizer.load(model)) {
                List<TrainingExample> ex = examples(tm, tok, cfg.withOverrides(Map.of("method", "tga")), data, world);
                LayerBand band = cfg.band(tm.config().textConfig().numHiddenLayers());
                ClipImageProcessor images = ClipImageProcessor.fromModelDir(model);
                if (before == null) before = AlignmentMeter.measure(tm, ex, band, images, tok.padId());
                tm.overwrite(Checkpoints.readTensors(out.resolve("checkpoint/mm_projector.safetensors")));
                after.put(method, AlignmentMeter.measure(tm, ex, band, images, tok.padId()));
            }
        }
        int ce = before.length - 1;
        System.out.println("LearningTest: before " + java.util.Arrays.toString(before) + " baseline "
                + java.util.Arrays.toString(after.get("baseline")) + " tga " + java.util.Arrays.toString(after.get("tga")));
        for (var e : after.entrySet()) {
            assertTrue(e.getValue()[ce] < before[ce] - 0.05, e.getKey() + " LM loss " + before[ce] + " -> " + e.getValue()[ce]);
        }
        double base = mean(after.get("baseline"), ce), tga = mean(after.get("tga"), ce);
        assertTrue(tga > base + 0.05, "mean cos(h_img, h_cap) in the band: baseline " + base + ", tga " + tga
                + " (start " + mean(before, ce) + ")");
    }

    private static double mean(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i];
        return s / n;
    }

    private static List<TrainingExample> examples(TrainingModel tm, TextTokenizer tok, TrainConfig cfg, Path data,
            Path world) throws Exception {
        ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName("plain"), tok, tm.config(),
                new ImageRoot(world.resolve("images")), cfg);
        List<TrainingExample> out = new ArrayList<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(data, BadRecordReport.failing())) out.add(enc.encode(r));
        return out;
    }
}
