package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.model.DecoderOutput;

/**
 * Numerics against an independent implementation: Jlama 0.8.4 (pure-Java path) loads the very checkpoint files our
 * runtime loads — config.json, model.safetensors, tokenizer.json — and both must give the same next-token
 * distribution at every position of a prompt, and the same tokenization.
 *
 * <p>Jlama's {@code getLogits} returns softmax probabilities (final RMSNorm, LM head, softmax; no temperature), so
 * the comparison is on log-probabilities centred per position, which equal centred logits exactly in exact
 * arithmetic; a mismatch in RoPE layout, GQA head sharing, norm epsilon or the MLP shows up as errors orders of
 * magnitude above the tolerance.
 */
class JlamaReferenceTest {
    /** Absolute tolerance on centred log-probabilities (logits have a spread of ~0.5 here; measured max difference ~7e-7). */
    private static final double TOLERANCE = 1e-5;

    @TempDir Path dir;

    @Test
    void multiHeadLlamaMatchesJlamaAtEveryPosition() {
        compareWithJlama(RandomModels.Spec.llama(3, 128, 4, 4, 700, 11), "mha");
    }

    @Test
    void groupedQueryLlamaMatchesJlamaAtEveryPosition() {
        compareWithJlama(RandomModels.Spec.llama(2, 128, 8, 2, 700, 12), "gqa");
    }

    @Test
    void jlamaTokenizesOurTokenizerJsonLikeWeDo() {
        Path model = RandomModels.write(RandomModels.Spec.llama(1, 64, 2, 2, 600, 3), dir.resolve("tok"));
        AbstractModel jlama = ModelSupport.loadModel(model.toFile(), DType.F32, DType.F32);
        try (Lvlm ours = Lvlm.load(model)) {
            for (String text : new String[] {
                    "Hello world, this is a test.",
                    "  leading spaces,\ttabs and\nnew lines  ",
                    "Numbers 12345 and punctuation!? (yes) -- 'quoted' don't we'll",
                    "USER: <image>\nWhat is in the picture? ASSISTANT:",
                    "</s><s>special tokens inline</s>"}) {
                int[] expected = ours.tokenizer().encode(text);
                long[] theirs = jlama.getTokenizer().encode(text);
                assertArrayEquals(expected, Arrays.stream(theirs).mapToInt(Math::toIntExact).toArray(), text);
                assertTrue(expected.length > 0);
            }
        } finally {
            jlama.close();
        }
    }

    private void compareWithJlama(RandomModels.Spec spec, String name) {
        Path model = RandomModels.write(spec, dir.resolve(name));
        int[] ids = new int[24];
        Random random = new Random(spec.seed());
        for (int i = 0; i < ids.length; i++) ids[i] = 5 + random.nextInt(spec.vocab() - 5);

        float[][] ours = ourLogits(model, ids);
        float[][] theirs = jlamaProbabilities(model, ids);
        int vocab = ours[0].length;
        assertEquals(vocab, theirs[0].length, "vocabulary size");
        double worst = 0, spread = 0;
        for (int t = 0; t < ids.length; t++) {
            double[] a = centred(ours[t], false), b = centred(theirs[t], true);
            for (int v = 0; v < vocab; v++) {
                worst = Math.max(worst, Math.abs(a[v] - b[v]));
                spread = Math.max(spread, Math.abs(a[v]));
            }
            assertEquals(argMax(ours[t]), argMax(theirs[t]), "greedy token at position " + t);
        }
        // The comparison means something only if the logits actually vary across the vocabulary.
        assertTrue(spread > 0.1, "logit spread " + spread + " too small for a meaningful comparison");
        assertTrue(worst < TOLERANCE, name + ": max |centred logit difference| = " + worst);
    }

    /** Our runtime's logits {@code [T][V]} for one unpadded prompt, cache-free. */
    private static float[][] ourLogits(Path model, int[] ids) {
        try (Lvlm lvlm = Lvlm.load(model); NDManager m = NDManager.newBaseManager()) {
            boolean[][] valid = new boolean[1][ids.length];
            Arrays.fill(valid[0], true);
            DecoderOutput out = lvlm.model().forward(m, new int[][] {ids}, valid, null, null,
                    DecoderOutput.Logits.ALL, false);
            NDArray logits = out.logits();
            int vocab = (int) logits.getShape().get(2);
            float[] flat = logits.toFloatArray();
            float[][] rows = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) rows[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
            return rows;
        }
    }

    /** Jlama's next-token probabilities {@code [T][V]}, feeding the tokens one by one through its KV cache. */
    private static float[][] jlamaProbabilities(Path model, int[] ids) {
        AbstractModel jlama = ModelSupport.loadModel(model.toFile(), DType.F32, DType.F32);
        try (KvBufferCache caches = new KvBufferCache(jlama);
                KvBufferCache.KvBuffer kv = caches.getEphemeralKvBuffer()) {
            float[][] rows = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                AbstractTensor hidden = jlama.forward(ids[t], t, kv, java.util.Optional.empty());
                rows[t] = jlama.getLogits(hidden).clone();
                hidden.close();
            }
            return rows;
        } finally {
            jlama.close();
        }
    }

    /** Logits (or log of probabilities) minus their mean: both give the same vector. */
    private static double[] centred(float[] values, boolean probabilities) {
        double[] out = new double[values.length];
        double mean = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = probabilities ? Math.log(values[i]) : values[i];
            mean += out[i];
        }
        mean /= values.length;
        for (int i = 0; i < out.length; i++) out[i] -= mean;
        return out;
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
