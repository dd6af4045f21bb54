package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.generate.GenerationResult;
import org.tga4j.runtime.generate.Generator;
import org.tga4j.runtime.generate.SamplingParams;

class DecoderConsistencyTest {

    private static boolean[][] allValid(int rows, int len) {
        boolean[][] v = new boolean[rows][len];
        for (boolean[] r : v) Arrays.fill(r, true);
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "mistral", "qwen2"})
    void kvCacheDecodeEqualsFullRecompute(String type) {
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            LlavaModel model = TinyModels.randomLlava(params, TinyModels.text(type, 3, 32, 4, 2, 64), 7);
            int[] seq = {1, 5, 9, 13, 17, 21, 25, 29, 33, 37};
            int prompt = 4;
            float[][] full;
            try (NDManager s = m.newSubManager()) {
                NDArray logits = model.forward(s, new int[][] {seq}, allValid(1, seq.length), null, null,
                        DecoderOutput.Logits.ALL, false).logits();
                full = new float[seq.length][];
                for (int t = 0; t < seq.length; t++) full[t] = logits.get("0, " + t).toFloatArray();
            }
            // Both cache kinds: growing by concatenation (capacity 0) and preallocated, written in place.
            for (int capacity : new int[] {0, seq.length}) {
                try (NDManager s = m.newSubManager(); KvCache cache = new KvCache(s, 3, 1, capacity)) {
                    NDArray l = model.forward(s, new int[][] {Arrays.copyOf(seq, prompt)}, allValid(1, prompt), null,
                            cache, DecoderOutput.Logits.LAST, false).logits();
                    assertArrayEquals(full[prompt - 1], l.toFloatArray(), 1e-4f);
                    for (int t = prompt; t < seq.length; t++) {
                        l = model.forward(s, new int[][] {{seq[t]}}, allValid(1, 1), null, cache,
                                DecoderOutput.Logits.LAST, false).logits();
                        assertArrayEquals(full[t], l.toFloatArray(), 1e-4f, type + " capacity " + capacity
                                + " position " + t);
                    }
                    if (capacity > 0) {
                        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalStateException.class, () -> model.forward(s, new int[][] {{1}}, allValid(1, 1),
                                        null, cache, DecoderOutput.Logits.LAST, false));
                        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("capacity " + capacity),
                                e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * Decode steps on a preallocated cache run in Java ({@link LlamaDecoder#decodesInJava}) where the kernel loads
     * (JDK 22+): a left-padded batch, GQA, Qwen2's q/k/v bias and Mistral's sliding window there give each row the
     * logits of a cache-free forward over its own tokens.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "mistral", "qwen2"})
    void leftPaddedBatchDecodedInJavaEqualsFullRecomputeOfEachRow(String type) {
        TextConfig c = type.equals("mistral")
                ? new TextConfig("mistral", 64, 32, 64, 2, 4, 2, null, null, 256, 1e-5, 10000.0, false, null, 3, 1, 2,
                        null)
                : TinyModels.text(type, 2, 32, 4, 2, 64);
        boolean kernel = Runtime.version().feature() >= 22;
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            LlavaModel model = TinyModels.randomLlava(params, c, 17);
            int[][] rows = {{1, 5, 9, 13, 17}, {1, 40}};
            int[][] next = {{21, 25, 29, 33}, {41, 42, 43, 44}};
            int len = 5, steps = next[0].length;
            int[][] prompt = new int[2][len];
            boolean[][] valid = new boolean[2][len];
            for (int b = 0; b < 2; b++) {
                int pad = len - rows[b].length;
                System.arraycopy(rows[b], 0, prompt[b], pad, rows[b].length);
                for (int t = pad; t < len; t++) valid[b][t] = true;
            }
            try (KvCache cache = new KvCache(m, c.numHiddenLayers(), 2, len + steps)) {
                model.forward(m, prompt, valid, null, cache, DecoderOutput.Logits.LAST, false);
                for (int t = 0; t < steps; t++) {
                    int[][] step = {{next[0][t]}, {next[1][t]}};
                    assertEquals(kernel, model.decoder().decodesInJava(model.embed(m, step, null), cache),
                            DecodeKernels.description());
                    NDArray logits = model.forward(m, step, allValid(2, 1), null, cache, DecoderOutput.Logits.LAST,
                            false).logits();
                    for (int b = 0; b < 2; b++) {
                        int[] seq = Arrays.copyOf(rows[b], rows[b].length + t + 1);
                        System.arraycopy(next[b], 0, seq, rows[b].length, t + 1);
                        NDArray full = model.forward(m, new int[][] {seq}, allValid(1, seq.length), null, null,
                                DecoderOutput.Logits.LAST, false).logits();
                        assertArrayEquals(full.toFloatArray(), logits.get(b).toFloatArray(), 1e-4f,
                                type + " row " + b + " step " + t);
                    }
                }
            }
        }
    }

    @Test
    void batchedGenerationWithLeftPaddingEqualsOneByOne() {
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            LlavaModel model = TinyModels.randomLlava(params, TinyModels.text("llama", 2, 32, 4, 1, 64), 11);
            Generator gen = new Generator(model, 0);
            List<int[]> prompts = List.of(new int[] {1, 4, 8}, new int[] {1, 9, 3, 22, 17, 5, 6}, new int[] {1, 30});
            SamplingParams greedy = SamplingParams.greedy(8, Set.of());
            List<GenerationResult> batched = gen.generate(m, prompts, null, greedy, null);
            for (int i = 0; i < prompts.size(); i++) {
                GenerationResult single = gen.generate(m, List.of(prompts.get(i)), null, greedy, null).get(0);
                assertArrayEquals(single.tokens(), batched.get(i).tokens(), "row " + i);
                assertEquals(8, single.tokens().length);
            }
        }
    }

    @Test
    void imagesAreSplicedAtImageTokenPositionsAndHiddenStatesMatchPrefill() {
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            LlavaModel model = TinyModels.randomLlava(params, TinyModels.text("llama", 2, 32, 4, 2, 64), 3);
            int per = model.llavaConfig().imageTokensPerImage();
            assertEquals(16, per);
            NDArray pixels = m.randomNormal(new Shape(1, 3, 16, 16));
            NDArray images = model.imageEmbeddings(pixels);
            assertEquals(new Shape(1, 16, 32), images.getShape());
            int[] ids = new int[3 + per];
            ids[0] = 1;
            ids[1] = 7;
            for (int i = 0; i < per; i++) ids[2 + i] = TinyModels.IMAGE_TOKEN;
            ids[2 + per] = 9;
            NDArray embeds = model.embed(m, new int[][] {ids}, images);
            assertArrayEquals(images.get("0, 5").toFloatArray(), embeds.get("0, " + (2 + 5)).toFloatArray(), 0f);

            DecoderOutput fwd = model.forward(m, new int[][] {ids}, allValid(1, ids.length), images, null,
                    DecoderOutput.Logits.ALL, true);
            assertEquals(3, fwd.hiddenStates().size());
            List<float[]> prefillHidden = new ArrayList<>();
            new Generator(model, 0).generate(m, List.of(ids), images, SamplingParams.greedy(1, Set.of()), null,
                    out -> out.hiddenStates().forEach(h -> prefillHidden.add(h.toFloatArray())));
            for (int l = 0; l < 3; l++) {
                assertArrayEquals(fwd.hiddenStates().get(l).toFloatArray(), prefillHidden.get(l), 1e-5f, "layer " + l);
            }

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.embed(m, new int[][] {ids}, null));
            assertTrue(e.getMessage().contains("0 image(s) were given"), e.getMessage());
        }
    }

    @Test
    void paddedBatchForwardEqualsSingleForwardsAtRealPositions() {
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            LlavaModel model = TinyModels.randomLlava(params, TinyModels.text("qwen2", 2, 32, 4, 2, 64), 5);
            int[][] rows = {{1, 5, 9, 13, 17, 21}, {1, 40, 41}};
            int len = 6;
            for (boolean leftPad : new boolean[] {false, true}) {
                int[][] ids = new int[2][len];
                boolean[][] valid = new boolean[2][len];
                for (int b = 0; b < 2; b++) {
                    int pad = len - rows[b].length, off = leftPad ? pad : 0;
                    System.arraycopy(rows[b], 0, ids[b], off, rows[b].length);
                    for (int t = 0; t < rows[b].length; t++) valid[b][off + t] = true;
                }
                DecoderOutput batch = model.forward(m, ids, valid, null, null, DecoderOutput.Logits.ALL, true);
                for (int b = 0; b < 2; b++) {
                    int n = rows[b].length, off = leftPad ? len - n : 0;
                    DecoderOutput single = model.forward(m, new int[][] {rows[b]}, allValid(1, n), null, null,
                            DecoderOutput.Logits.ALL, true);
                    for (int l = 0; l < single.hiddenStates().size(); l++) {
                        assertArrayEquals(single.hiddenStates().get(l).toFloatArray(),
                                batch.hiddenStates().get(l).get(b + ", " + off + ":" + (off + n)).toFloatArray(), 1e-4f,
                                "row " + b + " layer " + l + (leftPad ? " left" : " right") + " padding");
                    }
                    assertArrayEquals(single.logits().toFloatArray(),
                            batch.logits().get(b + ", " + off + ":" + (off + n)).toFloatArray(), 1e-4f);
                }
            }
        }
    }

    @Test
    void mistralSlidingWindowLimitsAttentionInPromptAndDecode() {
        try (NDManager base = NDManager.newBaseManager()) {
            NDManager params = base.newSubManager(), m = base.newSubManager();
            TextConfig c = new TextConfig("mistral", 64, 32, 64, 1, 4, 2, null, null, 256, 1e-5, 10000.0, false, null,
                    3, 1, 2, null);
            LlavaModel model = TinyModels.randomLlava(params, c, 13);
            int[] seq = {1, 5, 9, 13, 17, 21, 25, 29};
            NDArray full = model.forward(m, new int[][] {seq}, allValid(1, 8), null, null, DecoderOutput.Logits.ALL,
                    false).logits();
            // One layer, window 3: the last position sees only the last 3 tokens, and RoPE scores are relative.
            int[] tail = Arrays.copyOfRange(seq, 5, 8);
            NDArray alone = model.forward(m, new int[][] {tail}, allValid(1, 3), null, null, DecoderOutput.Logits.LAST,
                    false).logits();
            assertArrayEquals(alone.toFloatArray(), full.get("0, 7").toFloatArray(), 1e-4f);
            try (KvCache cache = new KvCache(m, 1, 1)) {
                model.forward(m, new int[][] {Arrays.copyOf(seq, 4)}, allValid(1, 4), null, cache,
                        DecoderOutput.Logits.LAST, false);
                for (int t = 4; t < 8; t++) {
                    NDArray l = model.forward(m, new int[][] {{seq[t]}}, allValid(1, 1), null, cache,
                            DecoderOutput.Logits.LAST, false).logits();
                    assertArrayEquals(full.get("0, " + t).toFloatArray(), l.toFloatArray(), 1e-4f, "position " + t);
                }
            }
        }
    }
}
