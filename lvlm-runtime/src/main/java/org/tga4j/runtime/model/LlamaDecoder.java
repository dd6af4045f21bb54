package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.config.TextConfig;

/**
 * A LLaMA-family causal decoder (LLaMA, Mistral, Qwen2): token embeddings, {@code N} pre-norm blocks with rotary
 * grouped-query attention and SwiGLU, a final RMSNorm, and the LM head (tied to the embeddings or not).
 */
public final class LlamaDecoder {
    private final TextConfig config;
    private final NDArray embedTokens, lmHead;
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final RotaryEmbedding rope;
    /** Mistral's sliding attention window (0: none; Qwen2's optional window is off by default and not supported). */
    private final int slidingWindow;

    /**
     * @param prefix the decoder's tensor prefix, e.g. {@code model.} or {@code language_model.model.}
     * @param lmHeadName the LM head tensor, e.g. {@code lm_head.weight} (unused when embeddings are tied)
     */
    public LlamaDecoder(Parameters p, TextConfig c, String prefix, String lmHeadName) {
        this.config = c;
        long vocab = c.vocabSize(), hidden = c.hiddenSize();
        embedTokens = p.get(prefix + "embed_tokens.weight", vocab, hidden);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new LlamaDecoderLayer(p, prefix + "layers." + i + ".", c, i));
        }
        finalNorm = new RmsNorm(p, prefix + "norm.weight", c.hiddenSize(), c.rmsNormEps());
        lmHead = c.tieWordEmbeddings() ? embedTokens : p.linearWeight(lmHeadName, vocab, hidden);
        rope = new RotaryEmbedding(c.headDim(), c.ropeTheta());
        slidingWindow = "mistral".equals(c.modelType()) && c.slidingWindow() != null ? c.slidingWindow() : 0;
    }

    public TextConfig config() {
        return config;
    }

    /** Token embeddings for ids {@code [B, T]} (INT64): {@code [B, T, hidden]}. */
    public NDArray embed(NDArray ids) {
        return Ops.embedding(embedTokens, ids);
    }

    /** The final norm followed by the LM head (the logit lens applies this to any layer's hidden state). */
    public NDArray logits(NDArray hidden, boolean alreadyNormed) {
        return Ops.linear(alreadyNormed ? hidden : finalNorm.forward(hidden), lmHead, null);
    }

    /**
     * Runs the decoder over new positions.
     *
     * @param inputsEmbeds {@code [B, T, hidden]}
     * @param valid {@code [B][T]}: which new positions are real tokens (false for padding)
     * @param cache the request's KV cache, or null for a cache-free forward over the whole sequence
     * @param logits which positions get logits
     * @param wantHidden whether to return every hidden state
     */
    public DecoderOutput forward(
            NDArray inputsEmbeds, boolean[][] valid, KvCache cache, DecoderOutput.Logits logits, boolean wantHidden) {
        if (logits == DecoderOutput.Logits.LAST && !wantHidden && decodesInJava(inputsEmbeds, cache)) {
            return new DecoderOutput(decodeInJava(inputsEmbeds, valid, cache), List.of());
        }
        List<NDArray> hidden = new ArrayList<>();
        NDArray x = run(inputsEmbeds, valid, cache, layers.size(), wantHidden ? hidden : null);
        NDArray out = switch (logits) {
            case ALL -> logits(x, true);
            case LAST -> logits(x.getShape().get(1) == 1 ? x : x.get(":, -1:, :"), true); // decode: one position
            case NONE -> null;
        };
        return new DecoderOutput(out, hidden);
    }

    /**
     * A cache-free pass through only the first {@code depth} layers: hidden states {@code 0..depth} (the final norm
     * applied to index {@code depth} when it is the last layer), equal to {@link #forward}'s up to that depth. TGA's
     * target pass needs no deeper than its alignment band.
     */
    public List<NDArray> hiddenStates(NDArray inputsEmbeds, boolean[][] valid, int depth) {
        return hiddenStates(inputsEmbeds, valid, depth, null);
    }

    /**
     * {@link #hiddenStates(NDArray, boolean[][], int)} over new positions that follow the ones already in {@code cache}
     * (which attends them and receives the new keys and values of the first {@code depth} layers): hidden states
     * {@code 0..depth} of the new positions only. A shared prompt prefix is then encoded once and reused. A null
     * cache: the whole sequence, as {@link #hiddenStates(NDArray, boolean[][], int)}.
     */
    public List<NDArray> hiddenStates(NDArray inputsEmbeds, boolean[][] valid, int depth, KvCache cache) {
        if (depth < 0 || depth > layers.size()) {
            throw new IllegalArgumentException("depth " + depth + " outside 0.." + layers.size());
        }
        List<NDArray> hidden = new ArrayList<>();
        run(inputsEmbeds, valid, cache, depth, hidden);
        return hidden;
    }

    /**
     * Runs the first {@code depth} layers; collects hidden states into {@code hidden} when it is not null. Returns the
     * last hidden state, final-normed when all layers ran.
     */
    private NDArray run(NDArray inputsEmbeds, boolean[][] valid, KvCache cache, int depth, List<NDArray> hidden) {
        NDManager m = inputsEmbeds.getManager();
        int time = (int) inputsEmbeds.getShape().get(1);
        boolean[][] keyValid = valid;
        if (cache != null) {
            cache.appendValidity(valid);
            keyValid = cache.validity();
        }
        NDArray mask = AttentionMask.causalOrNull(m, keyValid, time, slidingWindow);
        NDArray[] cosSin = rope.cosSin(positions(m, keyValid, time));
        NDArray x = inputsEmbeds;
        if (hidden != null) hidden.add(x);
        // Without autograd, each layer's intermediates are freed when the layer is done, and a layer's input once the
        // next layer has it (unless it is a hidden state to return): otherwise a prompt pass holds every layer's
        // activations until its step ends (a ~1B model's batch of 8 x 128 tokens peaked ~6 GB above its weights).
        boolean freeAsWeGo = !JniUtils.isGradMode();
        for (int i = 0; i < depth; i++) {
            NDArray in = x;
            if (freeAsWeGo) {
                try (NDManager layerScope = m.newSubManager()) {
                    in.tempAttach(layerScope);
                    x = layers.get(i).forward(in, rope, cosSin, mask, cache);
                    x.attach(m);
                }
                if (hidden == null && in != inputsEmbeds) in.close();
            } else {
                x = layers.get(i).forward(in, rope, cosSin, mask, cache);
            }
            if (hidden != null) hidden.add(x);
        }
        if (depth == layers.size()) {
            x = finalNorm.forward(x);
            if (hidden != null) hidden.set(depth, x);
        }
        return x;
    }

    /**
     * Whether {@link #forward} computes this step in Java ({@link #decodeInJava}): one new position for each of up to
     * {@link Ops#FEW_ROWS} rows, after a prompt pass that filled the cache's preallocated buffers; FLOAT32 weights
     * (linear ones FLOAT32 or FLOAT16), none trained or hooked (LoRA), no autograd recording; the decode kernel loaded
     * ({@link DecodeKernels}).
     */
    boolean decodesInJava(NDArray inputsEmbeds, KvCache cache) {
        Shape shape = inputsEmbeds.getShape();
        if (cache == null || shape.get(1) != 1 || shape.get(0) > Ops.FEW_ROWS || shape.get(0) != cache.batchSize()
                || !cache.readyForJavaDecode() || cache.length() != cache.positions(0)
                || cache.length() == cache.capacity()) { // full: the libtorch path reports it
            return false;
        }
        int rows = (int) shape.get(0);
        if (!DecodeKernels.applies(inputsEmbeds) || !DecodeKernels.appliesToWeight(lmHead, rows)
                || LinearHooks.isHooked(lmHead) || !finalNorm.decodesInJava()) {
            return false;
        }
        for (LlamaDecoderLayer layer : layers) if (!layer.decodesInJava(rows)) return false;
        return true;
    }

    /**
     * {@link #forward}'s last-position logits for a decode step, computed in Java on the request's buffers
     * ({@link DecodeBuffers}): the same layers as {@link #run}, each a few kernel calls ({@link DecodeKernels}) instead
     * of ~20 libtorch ops, whose dispatch cost a 134M model 4-6 ms of a ~25 ms step.
     */
    private NDArray decodeInJava(NDArray inputsEmbeds, boolean[][] valid, KvCache cache) {
        cache.appendValidity(valid);
        DecodeBuffers s = cache.decodeBuffers(config);
        s.hidden.put(0, DecodeKernels.direct(inputsEmbeds), 0, s.hidden.capacity());
        prepareStep(s, cache.validity());
        for (LlamaDecoderLayer layer : layers) layer.decode(s, rope, cache);
        finalNorm.decode(s.hidden, s.normed, s.rows);
        NDArray logits = inputsEmbeds.getManager().create(new Shape(s.rows, 1, config.vocabSize()), DataType.FLOAT32);
        DecodeKernels.multiply(s.normed, lmHead, null, DecodeKernels.direct(logits), s.rows);
        return logits;
    }

    /**
     * The step's attention mask and each row's rotation, for the new (last) key position: what {@link #run} takes
     * from {@link AttentionMask#causalOrNull} and {@link #positions}.
     */
    private void prepareStep(DecodeBuffers s, boolean[][] keyValid) {
        int length = keyValid[0].length, at = length - 1;
        s.masked = false;
        for (int b = 0; b < s.rows; b++) {
            int seen = 0;
            for (int j = 0; j < length; j++) {
                boolean blocked = !keyValid[b][j] || (slidingWindow > 0 && j <= at - slidingWindow);
                s.mask.putFloat((b * length + j) * Float.BYTES, blocked ? AttentionMask.BLOCKED : 0f);
                s.masked |= blocked;
                if (j < at && keyValid[b][j]) seen++;
            }
            rope.tables(keyValid[b][at] ? seen : 0, s.cos, s.signedSin, b * config.headDim());
        }
    }

    /**
     * Position ids as HF computes them from the attention mask: each real token's position is the number of real
     * tokens before it in its row (so left padding does not shift positions); padding gets position 0.
     */
    static NDArray positions(NDManager m, boolean[][] keyValid, int queries) {
        int batch = keyValid.length, keys = keyValid[0].length;
        float[] pos = new float[batch * queries];
        for (int b = 0; b < batch; b++) {
            int seen = 0;
            for (int j = 0; j < keys; j++) {
                int i = j - (keys - queries);
                if (i >= 0) pos[b * queries + i] = keyValid[b][j] ? seen : 0;
                if (keyValid[b][j]) seen++;
            }
        }
        return m.create(pos, new Shape(batch, queries));
    }
}
