package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.lora.LoraAdapter;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/** LoRA adapters on the frozen LLM in stage 2: identity at init, what training changes, PEFT save / load, resume. */
class LoraTest {
    static final List<String> ALL_PROJECTIONS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    @TempDir static Path tmp;
    static Path model, world, data;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("model"), 21);
        world = Fixtures.world(tmp.resolve("world"), 16);
        data = Fixtures.augmentedInstruct(world, tmp.resolve("instruct.json"), 8);
    }

    static LoraSettings settings(List<String> targets) {
        return new LoraSettings(4, 8, 0.0, targets, 7);
    }

    @Test
    void anUntrainedAdapterLeavesTheLogitsExactlyAsTheBaseAndANonZeroOneChangesThem() throws Exception {
        try (TrainingModel base = TrainingModel.load(model, false);
                TrainingModel lora = TrainingModel.load(model, false, DataType.FLOAT32, settings(ALL_PROJECTIONS));
                TextTokenizer tok = TextTokenizer.load(model); NDManager m = NDManager.newBaseManager()) {
            assertEquals(4 * 7 * 2, lora.lora().tensors().size(), "A and B for 7 projections in 4 layers");
            assertEquals(4 * 7 * 2 + 4, lora.trainable().size(), "adapters and projector are trainable, nothing else");
            Batch b = batch(lora, tok, 4);
            float[] expected = logits(base.model(), m, b);
            assertArrayEquals(expected, logits(lora.model(), m, b), "B = 0: the adapter adds exactly nothing");
            // Every adapted projection (attention and MLP) must reach the forward: make each B non-zero in turn.
            for (LoraAdapters.Entry e : lora.lora().entries()) {
                float[] ones = new float[Math.toIntExact(e.b().getShape().size())];
                Arrays.fill(ones, 0.05f);
                lora.overwrite(Map.of(LoraAdapter.loraBName(e.weightName()), ones));
                assertFalse(Arrays.equals(expected, logits(lora.model(), m, b)),
                        "the adapter on " + e.weightName() + " does not reach the forward pass");
                lora.overwrite(Map.of(LoraAdapter.loraBName(e.weightName()), new float[ones.length]));
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> TrainingModel.load(model, false, DataType.FLOAT32, settings(List.of("qkv_proj"))),
                "a target matching no projection is an error");
    }

    @Test
    void trainingChangesOnlyAdaptersAndProjectorAndTheSavedAdapterReproducesTheModelInTheRuntime() throws Exception {
        Map<String, float[]> base = Checkpoints.readTensors(model.resolve("model.safetensors"));
        try (TrainingModel tm = TrainingModel.load(model, false, DataType.FLOAT32, settings(ALL_PROJECTIONS));
                TextTokenizer tok = TextTokenizer.load(model); NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(tm, tok, 4);
            TrainStep step = new TrainStep(tm, new TgaLoss(new LayerBand(1, 3), 0.25, 0.1, false),
                    ClipImageProcessor.fromModelDir(model));
            try (AdamW opt = new AdamW(tm.trainable(), tm.trainable().keySet(), 0.9, 0.999, 1e-8, 0.01, tm.weights())) {
                for (int i = 0; i < 2; i++) {
                    try (NDManager sm = tm.weights().newSubManager()) {
                        step.run(sm, b, i / 2.0, 1.0);
                    }
                    opt.clipGradients(1.0);
                    opt.step(1e-2);
                }
            }
            for (var e : tm.all().entrySet()) {
                float[] now = e.getValue().toType(DataType.FLOAT32, false).toFloatArray();
                boolean same = Arrays.equals(base.get(e.getKey()), now);
                if (e.getKey().startsWith("multi_modal_projector.")) assertFalse(same, "projector trained: " + e.getKey());
                else assertTrue(same, "base tensor changed by LoRA training: " + e.getKey());
            }
            for (LoraAdapters.Entry e : tm.lora().entries()) {
                assertTrue(e.b().abs().max().getFloat() > 0, "B of " + e.weightName() + " trained");
            }

            Path adapter = tmp.resolve("adapter");
            Checkpoints.saveAdapter(adapter, tm, Map.of());
            JsonNode cfg = new ObjectMapper().readTree(adapter.resolve("adapter_config.json").toFile());
            assertEquals("LORA", cfg.get("peft_type").asText());
            assertEquals(4, cfg.get("r").asInt());
            assertEquals(8.0, cfg.get("lora_alpha").asDouble());
            assertEquals(ALL_PROJECTIONS.size(), cfg.get("target_modules").size());
            assertEquals(model.toAbsolutePath().normalize().toString(), cfg.get("base_model_name_or_path").asText());
            assertEquals("multi_modal_projector", cfg.get("modules_to_save").get(0).asText());
            Map<String, float[]> saved = Checkpoints.readTensors(adapter.resolve("adapter_model.safetensors"));
            assertTrue(saved.containsKey("base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.weight"),
                    saved.keySet().toString());
            assertTrue(saved.containsKey("base_model.model.multi_modal_projector.linear_1.weight"));
            assertEquals(4 * 7 * 2 + 4, saved.size());

            float[] trained = logits(tm.model(), m, b);
            float[] untrained;
            try (Lvlm plain = Lvlm.load(model)) {
                untrained = logits(plain.model(), m, b);
            }
            for (Lvlm lvlm : List.of(Lvlm.load(adapter), Lvlm.load(model, adapter))) {
                try (lvlm) {
                    float[] merged = logits(lvlm.model(), m, b);
                    float worst = 0;
                    for (int i = 0; i < trained.length; i++) worst = Math.max(worst, Math.abs(trained[i] - merged[i]));
                    assertTrue(worst < 1e-4, "merged adapter logits differ from the training model's by " + worst);
                    assertTrue(maxDiff(merged, untrained) > 1e-3, "the merged adapter changes the base model's logits");
                }
            }
        }
    }

    @Test
    void aCrashedLoraRunResumesBitIdentically() throws Exception {
        TrainConfig base = Fixtures.config(model, data, world.resolve("images"), tmp.resolve("unused"), 2, "tga")
                .withOverrides(Map.of("loraRank", 4, "loraAlpha", 8.0, "loraDropout", 0.1, "loraTargets",
                        List.of("q_proj", "v_proj", "down_proj"), "batchSize", 2, "gradientAccumulation", 2,
                        "maxSteps", 3, "saveEvery", 1, "learningRate", 5e-3, "template", "llava_v1"));
        Path straight = tmp.resolve("lora-straight");
        new Trainer(base.withOverrides(Map.of("output", straight.toString())), null).run(false);
        assertFalse(Files.exists(straight.resolve("checkpoint/model")), "a LoRA run saves no whole model");
        assertTrue(Files.isRegularFile(straight.resolve("checkpoint/adapter/adapter_model.safetensors")));

        Path crashed = tmp.resolve("lora-crashed");
        TrainConfig cfg = base.withOverrides(Map.of("output", crashed.toString()));
        Trainer first = new Trainer(cfg, null);
        first.batchHook = (s, b) -> {
            if (s == 2) throw new IllegalStateException("simulated crash");
            return b;
        };
        assertThrows(IllegalStateException.class, () -> first.run(false));
        assertEquals(2, Checkpoints.readState(crashed).step());
        new Trainer(cfg, null).run(true);
        for (String f : List.of("adapter/adapter_model.safetensors", "mm_projector.safetensors", "optimizer.safetensors")) {
            Map<String, float[]> a = Checkpoints.readTensors(straight.resolve("checkpoint").resolve(f));
            Map<String, float[]> c = Checkpoints.readTensors(crashed.resolve("checkpoint").resolve(f));
            assertEquals(a.keySet(), c.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k), c.get(k), f + " " + k + " differs after resume");
        }
        Map<String, float[]> opt = Checkpoints.readTensors(straight.resolve("checkpoint/optimizer.safetensors"));
        assertTrue(opt.containsKey("exp_avg.base_model.model.language_model.model.layers.3.mlp.down_proj.lora_B.weight"));
        List<StepMetrics> x = MetricsLog.read(straight.resolve("metrics.jsonl"));
        List<StepMetrics> y = MetricsLog.read(crashed.resolve("metrics.jsonl"));
        assertEquals(3, y.size());
        for (int i = 0; i < 3; i++) assertEquals(x.get(i).loss(), y.get(i).loss(), 0.0, "loss of step " + (i + 1));
    }

    /**
     * DJL keeps arrays made from Java data in Java buffers that the garbage collector frees once the NDArray object
     * is gone, while PyTorch may still use the memory (adapter weights; scalars autograd saves for the backward
     * pass). A collection between forward and backward must change nothing.
     */
    @Test
    void aGarbageCollectionNeitherChangesTheForwardNorCorruptsTheGradients() throws Exception {
        try (TrainingModel tm = TrainingModel.load(model, false, DataType.FLOAT32, settings(List.of("q_proj", "v_proj")));
                TextTokenizer tok = TextTokenizer.load(model); NDManager m = NDManager.newBaseManager()) {
            Batch b = batch(tm, tok, 2);
            float[] first = logits(tm.model(), m, b);
            collectGarbage();
            assertArrayEquals(first, logits(tm.model(), m, b), "logits changed after a garbage collection");
            TrainStep step = new TrainStep(tm, new TgaLoss(new LayerBand(1, 3), 0.25, 0.1, false),
                    ClipImageProcessor.fromModelDir(model));
            step.beforeBackward = LoraTest::collectGarbage;
            try (AdamW opt = new AdamW(tm.trainable(), tm.trainable().keySet(), 0.9, 0.999, 1e-8, 0.0, tm.weights())) {
                for (int i = 0; i < 2; i++) {
                    try (NDManager sm = tm.weights().newSubManager()) {
                        assertTrue(step.run(sm, b, 0.0, 1.0).finite());
                    }
                    double norm = opt.clipGradients(0);
                    assertTrue(Double.isFinite(norm) && norm > 0, "gradient norm after a collection: " + norm);
                    opt.step(1e-3);
                }
            }
        }
    }

    private static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void loraIsAStage2OptionExclusiveOfTrainingTheWholeLlm() {
        TrainConfig s2 = TrainConfig.defaults(2);
        assertThrows(IllegalArgumentException.class,
                () -> s2.withOverrides(Map.of("loraRank", 8, "trainLlm", true)));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults(1).withOverrides(Map.of("loraRank", 8)));
        assertThrows(IllegalArgumentException.class, () -> s2.withOverrides(Map.of("loraRank", 8, "loraDropout", 1.0)));
        LoraSettings l = s2.withOverrides(Map.of("loraRank", 8)).lora();
        assertEquals(List.of("q_proj", "v_proj"), l.targets());
        assertEquals(1.0, l.scale());
        assertEquals(null, s2.lora());
    }

    private static float maxDiff(float[] a, float[] b) {
        float worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    static Batch batch(TrainingModel tm, TextTokenizer tok, int n) throws Exception {
        TrainConfig cfg = TrainConfig.defaults(2);
        ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName("llava_v1"), tok, tm.config(),
                new ImageRoot(world.resolve("images")), cfg);
        List<TrainingExample> ex = new ArrayList<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(data, BadRecordReport.failing())) {
            if (ex.size() < n) ex.add(enc.encode(r));
        }
        return Batch.of(ex, tok.padId());
    }

    /** Logits of every position of the batch, images spliced in, as floats. */
    static float[] logits(LlavaModel lm, NDManager m, Batch b) {
        try (NDManager s = m.newSubManager()) {
            NDArray pixels = ClipImageProcessor.fromModelDir(model).preprocessBatch(b.images(), s);
            DecoderOutput out = lm.forward(s, b.ids(), b.valid(), lm.imageEmbeddings(pixels), null,
                    DecoderOutput.Logits.ALL, false);
            return out.logits().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
