package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.Ops;

/**
 * Forward and backward of one micro-batch: frozen vision features (no gradient), the no-gradient text-only caption
 * pass giving {@code h_cap}, then the multimodal pass and the loss under a gradient collector. Gradients accumulate
 * into the trainable tensors until the optimiser consumes and zeroes them.
 */
public final class TrainStep {
    private final TrainingModel model;
    private final TgaLoss loss;
    private final ClipImageProcessor images;
    private final PrefixDecoder target;
    /** Test hook run between the forward pass and the backward pass (e.g. a garbage collection). */
    Runnable beforeBackward = () -> {};

    public TrainStep(TrainingModel model, TgaLoss loss, ClipImageProcessor images) {
        this.model = model;
        this.loss = loss;
        this.images = images;
        // A frozen decoder gives the caption sequences' shared prefix (the system prompt) the same keys and values at
        // every step: encoded once, kept with the weights.
        this.target = new PrefixDecoder(model.model(), loss.band().last(),
                model.decoderFrozen() ? model.weights() : null);
    }

    public TgaLoss loss() {
        return loss;
    }

    /**
     * Runs one micro-batch in {@code m} and back-propagates {@code lossScale * L}.
     *
     * @param progress {@code p = step / total_steps}
     * @return the loss values of this micro-batch
     */
    public StepValues run(NDManager m, Batch batch, double progress, double lossScale) {
        LlavaModel lm = model.model();
        DataType dtype = model.projector().values().iterator().next().getDataType();
        NDArray features = visionFeatures(m, batch, dtype);
        List<NDArray> captionMeans = captionMeans(m, batch);
        try (Autograd gc = Autograd.record()) {
            NDArray imageEmbeds = features == null ? null : lm.projector().forward(features);
            DecoderOutput out = lm.forward(m, batch.ids(), batch.valid(), imageEmbeds, null,
                    DecoderOutput.Logits.NONE, true);
            TgaLoss.Terms t = loss.compute(m, lm.decoder(), out.hiddenStates(), batch, captionMeans, progress);
            beforeBackward.run();
            // A scalar that lives until the step's manager closes (see Ops.constant), not mul(double).
            gc.backward(t.total().mul(Ops.constant(t.total(), lossScale)));
            return new StepValues(scalar(t.total()), scalar(t.lm()), scalar(t.pair()), scalar(t.hinge()),
                    t.pairScale(), t.hingeScale(), t.sIc(), t.sRc(), t.aligned(), batch.tokens(), batch.rows());
        }
    }

    /**
     * The target pass: the text-only caption sequences through the decoder (no gradient; the current weights; only
     * as deep as the band needs), mean hidden state over the caption tokens per band layer: {@code [A, hidden]} each.
     * Empty when no row is aligned. The literal {@code <image>} of the target text keeps its own token embedding: no
     * image is spliced in.
     */
    public List<NDArray> captionMeans(NDManager m, Batch batch) {
        int aligned = batch.alignedRows().length;
        if (aligned == 0) return List.of();
        List<NDArray> means = new ArrayList<>();
        // The pass's activations live in a manager of their own, freed as soon as the means are taken: kept in the
        // step's manager they stayed allocated through the main forward and backward.
        try (NDManager pass = m.newSubManager()) {
            LayerBand band = loss.band();
            for (NDArray pooled : target.pooled(pass, batch.captionIds(), batch.captionValid(), batch.captionWeights(),
                    band.first(), band.last())) {
                NDArray mean = pooled.stopGradient();
                mean.attach(m);
                means.add(mean);
            }
        }
        return means;
    }

    /**
     * The frozen vision tower's features of the batch's images in {@code dtype} ({@code [N, imageTokens, visionHidden]},
     * in {@code m}), or null when the batch has none. The tower's own activations are freed on return.
     *
     * <p>The tower is frozen, so an image's features do not change during training: FLOAT32 features are kept by image
     * file (up to {@link #FEATURE_CACHE_BYTES}), and later epochs neither decode the image nor run the tower again.
     * (In the TinyWorld demo, decoding and the tower took 13% of training time, profiled with JFR.)
     */
    public NDArray visionFeatures(NDManager m, Batch batch, DataType dtype) {
        List<Path> paths = batch.images();
        if (paths.isEmpty()) return null;
        boolean cache = dtype == DataType.FLOAT32;
        if (cache && featureCache.keySet().containsAll(paths)) {
            float[] all = new float[Math.toIntExact(featureShape.size() * paths.size())];
            for (int i = 0; i < paths.size(); i++) {
                float[] one = featureCache.get(paths.get(i));
                System.arraycopy(one, 0, all, i * one.length, one.length);
            }
            return m.create(all, new Shape(paths.size()).addAll(featureShape));
        }
        NDArray features;
        try (NDManager pass = m.newSubManager()) {
            features = model.model().visionFeatures(images.preprocessBatch(paths, pass).toType(dtype, false));
            features.attach(m);
        }
        if (cache) remember(paths, features);
        return features;
    }

    /** Bytes of FLOAT32 vision features {@link #visionFeatures} keeps per training run (by default 256 MiB). */
    static final long FEATURE_CACHE_BYTES = Long.getLong("tga4j.featureCacheBytes", 256L << 20);
    private final Map<Path, float[]> featureCache = new HashMap<>();
    private Shape featureShape;

    /** Whether the cache can keep one more image's features (every image's are {@code featureShape}). */
    private boolean cacheHasRoom() {
        return featureShape == null
                || (featureCache.size() + 1L) * featureShape.size() * Float.BYTES <= FEATURE_CACHE_BYTES;
    }

    /** Keeps each image's row of {@code features} while the cache has room. */
    private void remember(List<Path> paths, NDArray features) {
        if (!cacheHasRoom()) return; // full: no copy of the batch's features to the heap
        featureShape = features.getShape().slice(1);
        int size = Math.toIntExact(featureShape.size());
        float[] all = features.toFloatArray();
        for (int i = 0; i < paths.size() && cacheHasRoom(); i++) {
            int from = i * size;
            featureCache.computeIfAbsent(paths.get(i), p -> Arrays.copyOfRange(all, from, from + size));
        }
    }

    private static float scalar(NDArray a) {
        return a.toType(DataType.FLOAT32, false).getFloat();
    }

    /** What one micro-batch measured. */
    public record StepValues(float total, float lm, float pair, float hinge, double pairScale, double hingeScale,
            float[] sIc, float[] sRc, int aligned, long tokens, int samples) {
        public boolean finite() {
            return Float.isFinite(total) && Float.isFinite(lm) && Float.isFinite(pair) && Float.isFinite(hinge);
        }
    }
}
