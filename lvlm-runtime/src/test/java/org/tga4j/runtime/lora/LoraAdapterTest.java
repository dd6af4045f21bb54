package org.tga4j.runtime.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.model.LinearHooks;
import org.tga4j.runtime.model.Ops;
import org.tga4j.runtime.model.WeightPrecision;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.HalfFloats;

/** PEFT LoRA adapters loaded by merging into the base weights; the linear-hook mechanism adapters use in training. */
class LoraAdapterTest {
    @TempDir static Path tmp;
    static Path base;

    @BeforeAll
    static void setUp() {
        // hidden 32, 4 heads of 8, 2 kv heads: q_proj [32, 32], v_proj [16, 32]
        base = RandomModels.write(RandomModels.Spec.llama(2, 32, 4, 2, 300, 3), tmp.resolve("base"));
    }

    /** A PEFT adapter with random A and B on q_proj and v_proj of both layers, as PEFT names them. */
    static Map<String, float[][]> writeAdapter(Path dir, int r, double alpha, String baseRef) {
        Map<String, float[][]> ab = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(9);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (int l = 0; l < 2; l++) {
                for (String proj : List.of("q_proj", "v_proj")) {
                    String w = "model.layers." + l + ".self_attn." + proj + ".weight";
                    int out = proj.equals("q_proj") ? 32 : 16;
                    float[] a = new float[r * 32], b = new float[out * r];
                    for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian() * 0.2f;
                    for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian() * 0.2f;
                    ab.put(w, new float[][] {a, b});
                    tensors.put(LoraAdapter.loraAName(w), m.create(a, new Shape(r, 32)));
                    tensors.put(LoraAdapter.loraBName(w), m.create(b, new Shape(out, r)));
                }
            }
            LoraAdapter.write(dir, PeftLoraConfig.of(r, alpha, 0.05, List.of("q_proj", "v_proj"), baseRef, null),
                    tensors, Map.of());
        }
        return ab;
    }

    @Test
    void anAdapterIsMergedAsWPlusAlphaOverRTimesBA() throws Exception {
        Path adapter = tmp.resolve("adapter");
        Map<String, float[][]> ab = writeAdapter(adapter, 4, 8, "../base");
        assertTrue(Files.isRegularFile(adapter.resolve("adapter_model.safetensors")));
        String cfg = Files.readString(adapter.resolve("adapter_config.json"));
        assertTrue(cfg.contains("\"peft_type\" : \"LORA\"") && cfg.contains("\"lora_alpha\" : 8.0")
                && cfg.contains("\"target_modules\"") && cfg.contains("\"base_model_name_or_path\" : \"../base\""), cfg);
        try (Checkpoint c = Checkpoint.open(adapter, LoraAdapter.WEIGHTS)) {
            assertTrue(c.has("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"), c.names().toString());
        }
        Map<String, float[]> baseTensors = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoint.open(base)) {
            for (String n : c.names()) baseTensors.put(n, c.loadFloats(n));
        }
        // Lvlm.load(adapterDir) finds the base through base_model_name_or_path (relative to the adapter directory).
        for (Lvlm lvlm : List.of(Lvlm.load(adapter), Lvlm.load(base, adapter))) {
            try (lvlm) {
                for (var e : lvlm.parameters().entrySet()) {
                    float[] now = e.getValue().toFloatArray();
                    float[][] pair = ab.get(e.getKey());
                    if (pair == null) {
                        assertArrayEquals(baseTensors.get(e.getKey()), now, "not adapted, unchanged: " + e.getKey());
                        continue;
                    }
                    float[] w = baseTensors.get(e.getKey());
                    int out = w.length / 32, r = 4;
                    for (int o = 0; o < out; o++) {
                        for (int i = 0; i < 32; i++) {
                            double delta = 0;
                            for (int k = 0; k < r; k++) delta += pair[1][o * r + k] * pair[0][k * 32 + i];
                            assertEquals(w[o * 32 + i] + 2.0 * delta, now[o * 32 + i], 1e-5, e.getKey() + "[" + o + "," + i + "]");
                        }
                    }
                }
                assertEquals(base.toRealPath(), lvlm.directory().toRealPath(), "tokenizer and config come from the base");
            }
        }
        // In float16, the projections (adapted or not) are the float32 merge rounded to float16; the rest is as is.
        try (Lvlm full = Lvlm.load(adapter); Lvlm half = Lvlm.load(adapter, null, WeightPrecision.FLOAT16)) {
            int rounded = 0;
            for (var e : half.parameters().entrySet()) {
                float[] want = full.parameters().get(e.getKey()).toFloatArray();
                if (e.getValue().getDataType() == DataType.FLOAT16) {
                    rounded++;
                    for (int i = 0; i < want.length; i++) want[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(want[i]));
                    try (NDManager m = NDManager.newBaseManager()) {
                        NDArray wide = e.getValue().get(m, new NDIndex(":")).toType(DataType.FLOAT32, false);
                        assertArrayEquals(want, wide.toFloatArray(), 0f, e.getKey());
                    }
                } else {
                    assertArrayEquals(want, e.getValue().toFloatArray(), 0f, e.getKey());
                }
            }
            assertTrue(rounded >= 7, rounded + " float16 tensors");
        }
    }

    @Test
    void adaptersThatDoNotFitAreRejectedNamingTheProblem() throws Exception {
        Path noBase = tmp.resolve("no-base");
        writeAdapter(noBase, 2, 2, "/nonexistent/base");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lvlm.load(noBase));
        assertTrue(e.getMessage().contains("base_model_name_or_path"), e.getMessage());

        Path wrongRank = tmp.resolve("wrong-rank");
        writeAdapter(wrongRank, 2, 2, "../base");
        String cfg = Files.readString(wrongRank.resolve("adapter_config.json")).replace("\"r\" : 2", "\"r\" : 3");
        Files.writeString(wrongRank.resolve("adapter_config.json"), cfg);
        RuntimeException re = assertThrows(RuntimeException.class, () -> Lvlm.load(base, wrongRank));
        assertTrue(re.getMessage().contains("lora_A.weight") && re.getMessage().contains("shape"), re.getMessage());

        Path dora = tmp.resolve("dora");
        writeAdapter(dora, 2, 2, "../base");
        Files.writeString(dora.resolve("adapter_config.json"),
                Files.readString(dora.resolve("adapter_config.json")).replace("\"use_dora\" : false", "\"use_dora\" : true"));
        e = assertThrows(IllegalArgumentException.class, () -> Lvlm.load(dora));
        assertTrue(e.getMessage().contains("adapter_config.json") && e.getMessage().contains("DoRA"), e.getMessage());

        Path stray = tmp.resolve("stray");
        try (NDManager m = NDManager.newBaseManager()) {
            LoraAdapter.write(stray, PeftLoraConfig.of(2, 2, 0, List.of("q_proj"), "../base", null), Map.of(
                    "base_model.model.model.layers.9.self_attn.q_proj.lora_A.weight", m.zeros(new Shape(2, 32)),
                    "base_model.model.model.layers.9.self_attn.q_proj.lora_B.weight", m.zeros(new Shape(32, 2))),
                    Map.of());
        }
        e = assertThrows(IllegalArgumentException.class, () -> Lvlm.load(stray));
        assertTrue(e.getMessage().contains("model.layers.9.self_attn.q_proj.weight"), e.getMessage());
    }

    @Test
    void aHookOnAWeightAddsItsTermToEveryLinearUsingThatWeight() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray x = m.create(new float[] {1, 1}, new Shape(1, 2));
            assertArrayEquals(new float[] {3, 7}, Ops.linear(x, w, null).toFloatArray());
            LinearHooks.attach(w, (in, y) -> y.add(in.sum(new int[] {-1}, true)));
            try {
                assertTrue(LinearHooks.isHooked(w));
                assertArrayEquals(new float[] {5, 9}, Ops.linear(x, w, null).toFloatArray());
                assertFalse(LinearHooks.isHooked(w.duplicate()), "hooks follow the tensor object, not its values");
            } finally {
                LinearHooks.detach(w);
            }
            assertArrayEquals(new float[] {3, 7}, Ops.linear(x, w, null).toFloatArray());
        }
    }
}
