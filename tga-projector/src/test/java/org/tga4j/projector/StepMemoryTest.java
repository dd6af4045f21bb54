package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.text.TextTokenizer;

/** Training steps leave nothing behind in the weights' manager (no native memory growth per step). */
class StepMemoryTest {
    @TempDir Path tmp;

    @Test
    void stepsDoNotAccumulateArraysInTheWeightsManager() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("model"), 8);
        Path world = Fixtures.world(tmp.resolve("world"), 14);
        Path data = Fixtures.augmentedInstruct(world, tmp.resolve("d.json"), 4);
        try (TrainingModel tm = TrainingModel.load(model, false); TextTokenizer tok = TextTokenizer.load(model)) {
            List<TrainingExample> ex = Fixtures.encodeLlavaV1(data, world, tm, tok);
            Batch b = Batch.of(ex, tok.padId());
            TrainStep step = new TrainStep(tm, new TgaLoss(new LayerBand(1, 3), 0.25, 0.1, false),
                    ClipImageProcessor.fromModelDir(model));
            try (AdamW opt = new AdamW(tm.trainable(), tm.trainable().keySet(), 0.9, 0.999, 1e-8, 0.01, tm.weights())) {
                int[] counts = new int[2];
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 3; i++) {
                        try (NDManager m = tm.weights().newSubManager()) {
                            step.run(m, b, 0.1, 1.0);
                        }
                        opt.clipGradients(1.0);
                        opt.step(1e-3);
                    }
                    counts[round] = ((BaseNDManager) tm.weights()).getManagedArrays().size();
                }
                assertEquals(counts[0], counts[1], "arrays left in the weights manager grow with the steps");
            }
        }
    }
}
