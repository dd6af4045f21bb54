package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.weights.Checkpoint;

/** End-to-end training runs on a tiny random llava and a small TinyWorld. */
class TrainerTest {
    @TempDir static Path tmp;
    static Path model, world, pretrain;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("model"), 5);
        world = Fixtures.world(tmp.resolve("world"), 24);
        pretrain = world.resolve("llava/pretrain_train.json");
    }

    static TrainConfig stage1(Path out, String method) {
        return Fixtures.config(model, pretrain, world.resolve("images"), out, 1, method)
                .withOverrides(Map.of("batchSize", 4, "maxSteps", 4, "saveEvery", 2, "learningRate", 1e-2,
                        "warmupRatio", 0.25));
    }

    @Test
    void stage1ChangesOnlyTheProjectorAndWritesCheckpointMetricsAndPlot() throws Exception {
        Path out = tmp.resolve("s1");
        Trainer.Result r = new Trainer(stage1(out, "tga"), null).run(false);
        assertEquals(4, r.steps());
        Path ckpt = out.resolve("checkpoint");
        for (String f : List.of("mm_projector.safetensors", "optimizer.safetensors", "trainer_state.json",
                "train_config.json")) {
            assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
        }
        assertFalse(Files.exists(ckpt.resolve("model")), "stage 1 saves the projector alone unless asked");
        assertEquals(4, Checkpoints.readState(out).step());
        Map<String, float[]> before = Checkpoints.readTensors(model.resolve("model.safetensors"));
        Map<String, float[]> projector = Checkpoints.readTensors(ckpt.resolve("mm_projector.safetensors"));
        assertEquals(4, projector.size());
        for (var e : projector.entrySet()) {
            assertTrue(e.getKey().startsWith("multi_modal_projector."), e.getKey());
            assertFalse(Arrays.equals(before.get(e.getKey()), e.getValue()), "projector tensor unchanged: " + e.getKey());
        }
        List<StepMetrics> metrics = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertEquals(4, metrics.size());
        for (StepMetrics m : metrics) {
            assertTrue(Double.isFinite(m.loss()) && m.pair() > 0, "stage-1 pair term is defined: " + m);
            assertEquals(0.0, m.hinge(), "stage 1 has no retrieved span: no hinge term");
            assertFalse(m.sIc().isEmpty());
            assertTrue(m.sRc().isEmpty());
        }
        assertTrue(Files.size(out.resolve("loss_curve.png")) > 1000);
    }
}
