package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * The alignment terms' gradient w.r.t. the projector, checked against central finite differences in FLOAT64 on a tiny
 * random llava, and zero in the released-parity mode.
 */
class TgaLossGradientTest {
    @TempDir static Path tmp;
    static Path model, world, data;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("model"), 3);
        world = Fixtures.world(tmp.resolve("world"), 24);
        data = Fixtures.augmentedInstruct(world, tmp.resolve("instruct_tga.json"), 3);
    }

    /** A stage-2 TGA batch of three samples (padded, with retrieved spans). */
    private static Batch batch(TrainingModel tm, TextTokenizer tok, TrainConfig cfg) throws Exception {
        ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName("llava_llama_2"), tok, tm.config(),
                new ImageRoot(world.resolve("images")), cfg);
        List<TrainingExample> ex = new ArrayList<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(data, BadRecordReport.failing())) ex.add(enc.encode(r));
        return Batch.of(ex, tok.padId());
    }

    /** The weighted alignment part of the loss, {@code L - L_LM}, with no gradient. */
    private static double alignment(TrainStep step, TrainingModel tm, Batch b, ClipImageProcessor images) {
        try (NDManager m = tm.weights().newSubManager()) {
            LlavaModel lm = tm.model();
            NDArray features = lm.visionFeatures(images.preprocessBatch(b.images(), m).toType(DataType.FLOAT64, false));
            DecoderOutput out = lm.forward(m, b.ids(), b.valid(), lm.projector().forward(features), null,
                    DecoderOutput.Logits.NONE, true);
            TgaLoss.Terms t = step.loss().compute(m, lm.decoder(), out.hiddenStates(), b, step.captionMeans(m, b), 0.3);
            return t.total().sub(t.lm()).getDouble();
        }
    }

    @Test
    void alignmentGradientMatchesFiniteDifferencesAndParityDetachesIt() throws Exception {
        TrainConfig cfg = TrainConfig.defaults(2).withOverrides(Map.of("pairWeight", 0.25, "hingeWeight", 0.10,
                "systemPrompt", "Be safe."));
        try (TrainingModel tm = TrainingModel.load(model, false, DataType.FLOAT64);
                TextTokenizer tok = TextTokenizer.load(model)) {
            Batch b = batch(tm, tok, cfg);
            assertEquals(3, b.alignedRows().length);
            assertTrue(b.hingeRows()[0], "stage-2 TGA samples carry a retrieved span");
            ClipImageProcessor images = ClipImageProcessor.fromModelDir(model);
            LayerBand band = new LayerBand(1, 3);
            double[] grads = new double[2];
            for (boolean detach : new boolean[] {false, true}) {
                TrainStep step = new TrainStep(tm, new TgaLoss(band, 0.25, 0.10, detach), images);
                // Gradient of L and of L_LM alone; their difference is the alignment terms' gradient.
                Map<String, double[]> full = gradient(tm, step, b, 1.0);
                TrainStep lmOnly = new TrainStep(tm, new TgaLoss(band, 0, 0, detach), images);
                Map<String, double[]> lm = gradient(tm, lmOnly, b, 1.0);
                String w1 = tm.model().tensorNames().projector() + "linear_1.weight";
                String b2 = tm.model().tensorNames().projector() + "linear_2.bias";
                int checked = 0;
                double maxRel = 0;
                for (String name : List.of(w1, b2)) {
                    NDArray p = tm.trainable().get(name);
                    double[] values = p.toDoubleArray();
                    for (int idx : new int[] {7, values.length / 2, values.length - 1}) {
                        double analytic = full.get(name)[idx] - lm.get(name)[idx];
                        if (detach) {
                            assertEquals(0.0, analytic, 1e-12, "parity mode: alignment gradient must be zero at "
                                    + name + "[" + idx + "]");
                            continue;
                        }
                        double h = 1e-5;
                        double plus = perturbed(tm, p, values, idx, h, step, b, images);
                        double minus = perturbed(tm, p, values, idx, -h, step, b, images);
                        double numeric = (plus - minus) / (2 * h);
                        double rel = Math.abs(analytic - numeric) / Math.max(1e-9, Math.abs(analytic) + Math.abs(numeric));
                        maxRel = Math.max(maxRel, rel);
                        assertTrue(rel < 1e-4, name + "[" + idx + "]: analytic " + analytic + " vs numeric " + numeric);
                        if (Math.abs(numeric) > 1e-9) checked++;
                    }
                }
                if (!detach) {
                    assertTrue(checked >= 3, "too few coordinates with a non-zero alignment gradient: " + checked);
                    grads[0] = maxRel;
                }
            }
        }
    }

    @Test
    void aBatchMixingSamplesWithAndWithoutRetrievedTextHasFiniteGradients() throws Exception {
        TrainConfig cfg = TrainConfig.defaults(2).withOverrides(Map.of("systemPrompt", "Be safe."));
        try (TrainingModel tm = TrainingModel.load(model, false); TextTokenizer tok = TextTokenizer.load(model)) {
            ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName("llava_llama_2"), tok, tm.config(),
                    new ImageRoot(world.resolve("images")), cfg);
            List<TrainingExample> ex = new ArrayList<>();
            for (LlavaRecord r : LlavaJsonReader.readAll(data, BadRecordReport.failing())) {
                // the second sample has a caption but no retrieved text: pair term only
                ex.add(enc.encode(ex.size() == 1 ? r.withTga(r.imageCaption(), null, null) : r));
            }
            Batch b = Batch.of(ex, tok.padId());
            assertTrue(b.hingeRows()[0] && !b.hingeRows()[1], "one sample without a retrieved span");
            TrainStep step = new TrainStep(tm, new TgaLoss(new LayerBand(1, 3), 0.25, 0.10, false),
                    ClipImageProcessor.fromModelDir(model));
            Map<String, double[]> g = gradient(tm, step, b, 1.0);
            double norm = 0;
            for (var e : g.entrySet()) {
                for (double v : e.getValue()) {
                    assertTrue(Double.isFinite(v), "non-finite gradient in " + e.getKey());
                    norm += v * v;
                }
            }
            assertTrue(norm > 0);
        }
    }

    private static double perturbed(TrainingModel tm, NDArray p, double[] values, int idx, double h, TrainStep step,
            Batch b, ClipImageProcessor images) {
        double[] copy = values.clone();
        copy[idx] += h;
        p.set(copy);
        try {
            return alignment(step, tm, b, images);
        } finally {
            p.set(values);
        }
    }

    /** d(scale * L)/d(trainable) for one batch; gradients zeroed before and after. */
    static Map<String, double[]> gradient(TrainingModel tm, TrainStep step, Batch b, double scale) {
        zero(tm);
        try (NDManager m = tm.weights().newSubManager()) {
            step.run(m, b, 0.3, scale);
        }
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        tm.trainable().forEach((k, v) -> {
            try (NDArray g = v.getGradient()) {
                out.put(k, g.toType(DataType.FLOAT64, false).toDoubleArray());
            }
        });
        zero(tm);
        return out;
    }

    static void zero(TrainingModel tm) {
        tm.trainable().values().forEach(v -> {
            try (NDArray g = v.getGradient()) {
                g.muli(0);
            }
        });
    }
}
