package org.tga4j.runtime.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.KvCache;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.Ops;
import org.tga4j.runtime.model.TorchThreads;

/**
 * Autoregressive generation with a KV cache. Prompts of different lengths are left-padded into one batch; one
 * prompt pass (prefill) fills the cache, then each step feeds every row's last token. Every request computes in
 * its own NDManager and every step in a sub-manager, so one loaded model can serve concurrent requests and
 * native memory stays flat.
 */
public final class Generator {
    private final LlavaModel model;
    private final int padId;

    public Generator(LlavaModel model, int padId) {
        this.model = model;
        this.padId = padId;
    }

    /**
     * @param prompts token ids per row (image-token positions expanded)
     * @param imageEmbeds image embeddings for all rows in reading order {@code [N, P, hidden]}, or null
     * @param listener streaming callback, or null
     */
    public List<GenerationResult> generate(
            NDManager parent, List<int[]> prompts, NDArray imageEmbeds, SamplingParams params, TokenListener listener) {
        return generate(parent, prompts, imageEmbeds, params, listener, null);
    }

    /**
     * As {@link #generate(NDManager, List, NDArray, SamplingParams, TokenListener)}, and hands the prompt pass's
     * output, with every hidden state of the left-padded batch, to {@code prefillObserver} (valid only during the
     * call).
     */
    public List<GenerationResult> generate(NDManager parent, List<int[]> prompts, NDArray imageEmbeds,
            SamplingParams params, TokenListener listener, Consumer<DecoderOutput> prefillObserver) {
        return generate(parent, prompts, imageEmbeds, params, listener, prefillObserver, prefillObserver != null);
    }

    /**
     * As {@link #generate(NDManager, List, NDArray, SamplingParams, TokenListener, Consumer)}; the prompt pass's output
     * holds every hidden state only when {@code prefillHidden} (its last-position logits always).
     */
    public List<GenerationResult> generate(NDManager parent, List<int[]> prompts, NDArray imageEmbeds,
            SamplingParams params, TokenListener listener, Consumer<DecoderOutput> prefillObserver, boolean prefillHidden) {
        int rows = prompts.size();
        if (rows == 0) return List.of();
        int len = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        if (prompts.stream().anyMatch(p -> p.length == 0)) throw new IllegalArgumentException("empty prompt");
        int maxPositions = model.textConfig().maxPositionEmbeddings();
        if (len + params.maxNewTokens() > maxPositions) {
            throw new IllegalArgumentException("prompt of " + len + " tokens + " + params.maxNewTokens()
                    + " new tokens exceeds max_position_embeddings " + maxPositions);
        }
        int[][] ids = new int[rows][len];
        boolean[][] valid = new boolean[rows][len];
        for (int b = 0; b < rows; b++) {
            int[] p = prompts.get(b);
            int pad = len - p.length;
            Arrays.fill(ids[b], 0, pad, padId);
            System.arraycopy(p, 0, ids[b], pad, p.length);
            Arrays.fill(valid[b], pad, len, true);
        }
        Sampler[] samplers = new Sampler[rows];
        List<List<Integer>> out = new ArrayList<>();
        String[] reason = new String[rows];
        for (int b = 0; b < rows; b++) {
            samplers[b] = new Sampler(params, b);
            out.add(new ArrayList<>());
        }
        try (NDManager request = parent.newSubManager();
                KvCache cache = new KvCache(request, model.textConfig().numHiddenLayers(), rows,
                        len + params.maxNewTokens())) {
            long t0 = System.nanoTime();
            NextTokenScores scores;
            try (NDManager step = request.newSubManager()) {
                DecoderOutput prefill = model.forward(
                        step, ids, valid, imageEmbeds, cache, DecoderOutput.Logits.LAST, prefillHidden);
                if (prefillObserver != null) prefillObserver.accept(prefill);
                scores = NextTokenScores.of(prefill, params);
            }
            long t1 = System.nanoTime();
            boolean[][] oneValid = new boolean[rows][1];
            for (boolean[] v : oneValid) v[0] = true;
            int active = rows;
            for (int produced = 0; produced < params.maxNewTokens() && active > 0; produced++) {
                int[][] next = new int[rows][1];
                for (int b = 0; b < rows; b++) {
                    if (reason[b] != null) {
                        next[b][0] = padId;
                        continue;
                    }
                    int token = scores.greedy() != null ? scores.greedy()[b] : samplers[b].next(scores.logits()[b]);
                    next[b][0] = token;
                    if (params.stopTokens().contains(token)) {
                        reason[b] = "stop";
                        active--;
                        continue;
                    }
                    out.get(b).add(token);
                    if (listener != null) listener.onToken(b, token);
                    if (out.get(b).size() == params.maxNewTokens()) {
                        reason[b] = "length";
                        active--;
                    }
                }
                if (active == 0 || produced + 1 == params.maxNewTokens()) break;
                try (NDManager step = request.newSubManager()) {
                    Supplier<NextTokenScores> decode = () -> NextTokenScores.of(
                            model.forward(step, next, oneValid, null, cache, DecoderOutput.Logits.LAST, false), params);
                    // A decode step is hundreds of tiny ops: waking libtorch's other threads for each costs more than
                    // it saves (measured with tga bench runtime), so only its matrix products and attention run on
                    // every thread (the decode kernels' own helpers, or TorchThreads.parallel).
                    scores = rows <= Ops.FEW_ROWS ? TorchThreads.singleThreaded(decode) : decode.get();
                }
            }
            long t2 = System.nanoTime();
            List<GenerationResult> results = new ArrayList<>();
            for (int b = 0; b < rows; b++) {
                int[] tokens = out.get(b).stream().mapToInt(Integer::intValue).toArray();
                results.add(new GenerationResult(prompts.get(b), tokens, reason[b] == null ? "length" : reason[b],
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6));
            }
            return results;
        }
    }

    /**
     * What the sampler needs from a step's last-position logits {@code [B, 1, vocab]}: greedy decoding takes each
     * row's argmax natively and brings only the token ids to Java; sampling brings the logits.
     */
    private record NextTokenScores(int[] greedy, float[][] logits) {
        static NextTokenScores of(DecoderOutput out, SamplingParams params) {
            NDArray l = out.logits();
            int rows = (int) l.getShape().get(0), vocab = (int) l.getShape().get(2);
            if (params.isGreedy()) {
                // torch's argmax, like Sampler.argMax, returns the first index of the maximum.
                long[] ids = l.argMax(-1).toLongArray();
                int[] tokens = new int[rows];
                for (int b = 0; b < rows; b++) tokens[b] = Math.toIntExact(ids[b]);
                return new NextTokenScores(tokens, null);
            }
            float[] flat = l.toFloatArray();
            float[][] perRow = new float[rows][];
            for (int b = 0; b < rows; b++) perRow[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
            return new NextTokenScores(null, perRow);
        }
    }
}
