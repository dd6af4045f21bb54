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
        Trainer.Result r = new Trainer(stage1(out, "tga").withOverrides(Map.of("saveFullModel", true)), null).run(false);
        assertEquals(4, r.steps());
        Path ckpt = out.resolve("checkpoint");
        for (String f : List.of("mm_projector.safetensors", "optimizer.safetensors", "trainer_state.json",
                "train_config.json")) {
            assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
        }
        assertEquals(4, Checkpoints.readState(out).step());
        Map<String, float[]> before = Checkpoints.readTensors(model.resolve("model.safetensors"));
        Map<String, float[]> after = Checkpoints.readTensors(ckpt.resolve("model/model.safetensors"));
        assertEquals(before.keySet(), after.keySet());
        int frozen = 0;
        for (String name : before.keySet()) {
            if (name.startsWith("multi_modal_projector.")) continue;
            assertArrayEquals(before.get(name), after.get(name), "frozen tensor changed: " + name);
            frozen++;
        }
        assertTrue(frozen > 40, "vision tower and LLM tensors compared: " + frozen);
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
        assertThrows(IllegalArgumentException.class, () -> new Trainer(stage1(out, "tga"), null).run(false),
                "a finished run is not overwritten");
    }

    @Test
    void stage2TrainsProjectorAndLlmKeepsVisionFrozenAndGivesTextOnlyRecordsTheLmLossOnly() throws Exception {
        Path data = Fixtures.augmentedInstruct(world, tmp.resolve("s2.json"), 6);
        // add a text-only record and a flagged text-safety record (with an image): both LM loss only
        var records = new java.util.ArrayList<>(org.tga4j.datasets.LlavaJsonReader.readAll(data,
                org.tga4j.datasets.BadRecordReport.failing()));
        var textOnly = org.tga4j.datasets.LlavaJsonReader.readAll(world.resolve("text/text_qa.json"),
                org.tga4j.datasets.BadRecordReport.failing()).get(0);
        var first = records.get(0);
        var flagged = new org.tga4j.datasets.LlavaRecord("flagged", first.image(), first.conversations(),
                first.imageCaption(), first.retrievedCaption(), null,
                Map.of("text_safety", com.fasterxml.jackson.databind.node.BooleanNode.TRUE));
        records.add(textOnly);
        records.add(flagged);
        org.tga4j.datasets.LlavaJsonWriter.writeAll(data, records);
        Path out = tmp.resolve("s2");
        TrainConfig cfg = Fixtures.config(model, data, world.resolve("images"), out, 2, "tga")
                .withOverrides(Map.of("trainLlm", true, "batchSize", 8, "maxSteps", 2, "learningRate", 1e-3,
                        "systemPrompt", "Be safe.", "template", "llava_llama_2"));
        Trainer.Result r = new Trainer(cfg, null).run(false);
        assertEquals(8, r.examples());
        try (TrainingModel tm = TrainingModel.load(model, true); var tok = org.tga4j.runtime.text.TextTokenizer.load(model)) {
            ExampleEncoder enc = new ExampleEncoder(org.tga4j.runtime.text.ChatTemplates.byName("llava_llama_2"), tok,
                    tm.config(), new org.tga4j.datasets.ImageRoot(world.resolve("images")), cfg);
            assertFalse(enc.encode(textOnly).aligned(), "text-only records take no part in the alignment terms");
            assertFalse(enc.encode(flagged).aligned(), "flagged text-safety records take no part in them");
            assertTrue(enc.encode(first).aligned());
        }
        Map<String, float[]> before = Checkpoints.readTensors(model.resolve("model.safetensors"));
        Map<String, float[]> after = Checkpoints.readTensors(out.resolve("checkpoint/model/model.safetensors"));
        int changed = 0;
        for (String name : before.keySet()) {
            boolean same = Arrays.equals(before.get(name), after.get(name));
            if (name.startsWith("vision_tower.")) assertTrue(same, "vision tower must stay frozen: " + name);
            if (name.startsWith("multi_modal_projector.") || (name.startsWith("language_model.") && name.endsWith("q_proj.weight"))) {
                assertFalse(same, "trained tensor unchanged: " + name);
            }
            if (!same) changed++;
        }
        assertTrue(changed > 30, "projector and LLM trained: " + changed);
        for (StepMetrics m : MetricsLog.read(out.resolve("metrics.jsonl"))) {
            assertTrue(m.hinge() > 0 && !m.sRc().isEmpty(), "stage-2 TGA has the hinge term: " + m);
        }
    }

    @Test
    void killedAndResumedRunEndsBitIdenticalToAnUninterruptedOne() throws Exception {
        TrainConfig base = stage1(tmp.resolve("unused"), "tga").withOverrides(Map.of("maxSteps", 4, "saveEvery", 1,
                "gradientAccumulation", 2, "batchSize", 2));
        Path straight = tmp.resolve("straight");
        new Trainer(base.withOverrides(Map.of("output", straight.toString())), null).run(false);

        Path killed = tmp.resolve("killed");
        TrainConfig cfg = base.withOverrides(Map.of("output", killed.toString()));
        Path cfgFile = tmp.resolve("killed.json");
        Files.writeString(cfgFile, cfg.toJson());
        Process child = new ProcessBuilder(javaBin(), "-Xmx1g", "-Dai.djl.offline=true",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TrainChild.class.getName(), cfgFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path metrics = killed.resolve("metrics.jsonl");
        long deadline = System.currentTimeMillis() + 120_000;
        while (lines(metrics) < 2) {
            assertTrue(child.isAlive(), "child ended early: " + Files.readString(tmp.resolve("child.log")));
            assertTrue(System.currentTimeMillis() < deadline, "child too slow");
            Thread.sleep(20);
        }
        child.destroyForcibly().waitFor();
        int resumedFrom = Checkpoints.readState(killed).step();
        assertTrue(resumedFrom >= 1 && resumedFrom < 4, "killed mid-run, checkpoint at step " + resumedFrom);

        new Trainer(cfg, null).run(true);
        for (String f : List.of("mm_projector.safetensors", "optimizer.safetensors")) {
            Map<String, float[]> a = Checkpoints.readTensors(straight.resolve("checkpoint").resolve(f));
            Map<String, float[]> b = Checkpoints.readTensors(killed.resolve("checkpoint").resolve(f));
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), f + " " + k + " differs after resume");
        }
        List<StepMetrics> x = MetricsLog.read(straight.resolve("metrics.jsonl"));
        List<StepMetrics> y = MetricsLog.read(metrics);
        assertEquals(4, y.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(x.get(i).loss(), y.get(i).loss(), 0.0, "loss of step " + (i + 1));
            assertEquals(x.get(i).pair(), y.get(i).pair(), 0.0, "pair of step " + (i + 1));
        }
    }

    @Test
    void baselineAndTgaTrainedAtOnceEndBitIdenticalToTheSameRunsOneAfterTheOther() throws Exception {
        Map<String, Path> alone = new java.util.LinkedHashMap<>(), atOnce = new java.util.LinkedHashMap<>();
        for (String method : List.of(TrainConfig.BASELINE, TrainConfig.TGA)) {
            Path out = tmp.resolve("alone-" + method);
            new Trainer(stage1(out, method), null).run(false);
            alone.put(method, out);
            atOnce.put(method, tmp.resolve("at-once-" + method));
        }
        TrainingThreads.Both<Trainer.Result, Trainer.Result> both = TrainingThreads.both(
                () -> new Trainer(stage1(atOnce.get(TrainConfig.BASELINE), TrainConfig.BASELINE), null).run(false),
                () -> new Trainer(stage1(atOnce.get(TrainConfig.TGA), TrainConfig.TGA), null).run(false));
        assertEquals(4, both.first().steps());
        assertEquals(4, both.second().steps());
        for (String method : alone.keySet()) {
            for (String f : List.of("mm_projector.safetensors", "optimizer.safetensors")) {
                Map<String, float[]> a = Checkpoints.readTensors(alone.get(method).resolve("checkpoint").resolve(f));
                Map<String, float[]> b = Checkpoints.readTensors(atOnce.get(method).resolve("checkpoint").resolve(f));
                assertEquals(a.keySet(), b.keySet());
                for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), method + " " + f + " " + k);
            }
        }
    }

    @Test
    void aTrainingThatFailsOnItsOwnThreadFailsTheCallAfterTheOtherFinishes() {
        Path out = tmp.resolve("beside-a-failure");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> TrainingThreads.both(
                () -> new Trainer(stage1(out, TrainConfig.BASELINE), null).run(false),
                () -> new Trainer(stage1(tmp.resolve("bad"), TrainConfig.TGA)
                        .withOverrides(Map.of("data", tmp.resolve("missing.json").toString())), null).run(false)));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
        assertEquals(4, Checkpoints.readState(out).step(), "the other training ran to its end");
    }

    @Test
    void aPoisonedBatchStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("poison");
        TrainConfig cfg = stage1(out, "tga").withOverrides(Map.of("maxSteps", 5, "saveEvery", 2));
        Trainer t = new Trainer(cfg, null);
        t.batchHook = (step, b) -> step == 3 ? poisoned(b) : b;
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.run(false));
        assertEquals(4, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("(step 2) is kept"), e.getMessage());
        assertEquals(2, Checkpoints.readState(out).step());
        try (Checkpoint c = Checkpoint.open(out.resolve("checkpoint"), "mm_projector.safetensors")) {
            for (String n : c.names()) {
                for (float v : c.loadFloats(n)) assertTrue(Float.isFinite(v), "checkpoint tensor " + n + " is finite");
            }
        }
        assertEquals(3, MetricsLog.read(out.resolve("metrics.jsonl")).size(), "steps 1-3 logged, step 4 not");
    }

    /** The batch with NaN in its image-span weights (as a corrupt sample would give). */
    private static Batch poisoned(Batch b) {
        float[][] w = b.imageWeights();
        for (float[] row : w) Arrays.fill(row, Float.NaN);
        return b;
    }

    private static long lines(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return 0;
        try (var s = Files.lines(p)) {
            return s.filter(l -> l.endsWith("}")).count();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
