package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.config.ClipVisionConfig;

/**
 * The CLIP ViT image encoder: cut the image into {@code p x p} patches, project each (the patch "convolution"),
 * prepend the class embedding, add position embeddings, {@code pre_layrnorm}, then the transformer blocks.
 * {@code post_layernorm} applies to the pooled class token only (the dual encoder's image embedding).
 */
public final class ClipVisionTower {
    private final ClipVisionConfig config;
    private final NDArray patchProjection, classEmbedding, positionEmbedding;
    private final NDArray preLnWeight, preLnBias, postLnWeight, postLnBias;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();

    /** @param prefix e.g. {@code vision_tower.vision_model.} or {@code vision_model.} */
    public ClipVisionTower(Parameters p, ClipVisionConfig c, String prefix, int layersNeeded, boolean withPostNorm) {
        this.config = c;
        long h = c.hiddenSize(), patch = c.patchSize();
        // The patch "convolution" (kernel = stride = patch) is a linear map of each flattened (C, py, px) patch.
        patchProjection = p.get(prefix + "embeddings.patch_embedding.weight", h, c.numChannels(), patch, patch)
                .reshape(h, c.numChannels() * patch * patch);
        classEmbedding = p.get(prefix + "embeddings.class_embedding", h);
        positionEmbedding = p.get(prefix + "embeddings.position_embedding.weight", c.numPatches() + 1, h);
        // HF's (misspelt) name for the pre-transformer LayerNorm.
        preLnWeight = p.get(prefix + "pre_layrnorm.weight", h);
        preLnBias = p.get(prefix + "pre_layrnorm.bias", h);
        for (int i = 0; i < layersNeeded; i++) {
            layers.add(new ClipEncoderLayer(p, prefix + "encoder.layers." + i + ".", c.hiddenSize(),
                    c.intermediateSize(), c.numAttentionHeads(), c.hiddenAct(), c.layerNormEps()));
        }
        postLnWeight = withPostNorm ? p.get(prefix + "post_layernorm.weight", h) : null;
        postLnBias = withPostNorm ? p.get(prefix + "post_layernorm.bias", h) : null;
    }

    public ClipVisionConfig config() {
        return config;
    }

    /**
     * Encodes normalised pixels {@code [N, C, S, S]} and returns the hidden states up to index {@code upTo}
     * (0 = embeddings after pre-LN, i = output of block i), each {@code [N, 1 + patches, hidden]}.
     */
    public List<NDArray> hiddenStates(NDArray pixels, int upTo) {
        if (upTo > layers.size()) {
            throw new IllegalArgumentException("vision tower was built with " + layers.size()
                    + " blocks; hidden state " + upTo + " was requested");
        }
        long n = pixels.getShape().get(0), ch = config.numChannels(), g = config.gridSize(), p = config.patchSize();
        long h = config.hiddenSize(), size = config.imageSize();
        if (!pixels.getShape().equals(new Shape(n, ch, size, size))) {
            throw new IllegalArgumentException("vision tower expects pixels [N, " + ch + ", " + size + ", " + size
                    + "], got " + pixels.getShape());
        }
        // [N, C, gy, py, gx, px] -> [N, gy, gx, C, py, px]: each patch flattened like the conv kernel (C, py, px).
        NDArray patches = pixels.reshape(n, ch, g, p, g, p).transpose(0, 2, 4, 1, 3, 5).reshape(n, g * g, ch * p * p);
        NDArray patchTokens = Ops.linear(patches, patchProjection, null);
        NDArray cls = pixels.getManager().zeros(new Shape(n, 1, h)).add(classEmbedding);
        NDArray x = cls.concat(patchTokens, 1).add(positionEmbedding);
        x = Ops.layerNorm(x, preLnWeight, preLnBias, config.layerNormEps().floatValue());
        List<NDArray> states = new ArrayList<>();
        states.add(x);
        for (int i = 0; i < upTo; i++) {
            x = layers.get(i).forward(x, null);
            states.add(x);
        }
        return states;
    }

    /** The pooled image representation: {@code post_layernorm} of the class token after every block, {@code [N, hidden]}. */
    public NDArray pooled(NDArray pixels) {
        List<NDArray> states = hiddenStates(pixels, layers.size());
        NDArray cls = states.get(states.size() - 1).get(":, 0, :");
        return Ops.layerNorm(cls, postLnWeight, postLnBias, config.layerNormEps().floatValue());
    }
}
