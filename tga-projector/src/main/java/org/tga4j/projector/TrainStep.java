package org.tga4j.projector;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
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
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
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
     */
    public NDArray visionFeatures(NDManager m, Batch batch, DataType dtype) {
        if (batch.images().isEmpty()) return null;
        try (NDManager pass = m.newSubManager()) {
            NDArray features = model.model().visionFeatures(images.preprocessBatch(batch.images(), pass)
                    .toType(dtype, false));
            features.attach(m);
            return features;
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
