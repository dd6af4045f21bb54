package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import org.tga4j.runtime.config.ClipConfig;

/**
 * CLIP as a dual encoder: the vision tower's pooled class token and the text tower's pooled end-of-text state, each
 * projected (no bias) into one embedding space and L2-normalised, so {@code image . text} is their cosine; the
 * learned {@code logit_scale} (a log temperature) scales those cosines into contrastive logits.
 */
public final class ClipModel {
    private final ClipConfig config;
    private final ClipVisionTower vision;
    private final ClipTextTower text;
    private final NDArray visualProjection, textProjection, logitScale;
    private final Parameters parameters;

    public ClipModel(Parameters p, ClipConfig c) {
        TorchThreads.configure();
        this.config = c;
        this.parameters = p;
        vision = new ClipVisionTower(p, c.visionConfig(), "vision_model.", c.visionConfig().numHiddenLayers(), true);
        text = new ClipTextTower(p, c.textConfig(), "text_model.");
        visualProjection = p.get("visual_projection.weight", c.projectionDim(), c.visionConfig().hiddenSize());
        textProjection = p.get("text_projection.weight", c.projectionDim(), c.textConfig().hiddenSize());
        logitScale = p.get("logit_scale");
    }

    public ClipConfig config() {
        return config;
    }

    public ClipVisionTower vision() {
        return vision;
    }

    public Parameters parameters() {
        return parameters;
    }

    /** Unit-length image embeddings {@code [N, projection_dim]} for normalised pixels {@code [N, C, S, S]}. */
    public NDArray embedImages(NDArray pixels) {
        TorchThreads.configure();
        return normalize(Ops.linear(vision.pooled(pixels), visualProjection, null));
    }

    /** Unit-length text embeddings {@code [B, projection_dim]} for right-padded token ids. */
    public NDArray embedTexts(ClipTextTower.TextBatch batch) {
        TorchThreads.configure();
        return normalize(Ops.linear(text.pooled(batch), textProjection, null));
    }

    /** {@code exp(logit_scale) * image . text^T}: the contrastive logits {@code [N, B]}. */
    public NDArray logitsPerImage(NDArray imageEmbeds, NDArray textEmbeds) {
        return imageEmbeds.matMul(textEmbeds.transpose()).mul(imageEmbeds.getManager().create(0f).add(logitScale).exp());
    }

    private static NDArray normalize(NDArray x) {
        return x.div(x.square().sum(new int[] {-1}, true).sqrt().add(1e-12f));
    }
}
