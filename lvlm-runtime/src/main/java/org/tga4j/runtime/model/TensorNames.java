package org.tga4j.runtime.model;

/**
 * Where each part of a model lives in the checkpoint's tensor names. llava-hf checkpoints come in two schemes:
 * the original ({@code language_model.model.*}, {@code language_model.lm_head.weight}, {@code vision_tower.*},
 * {@code multi_modal_projector.*}) and the one transformers writes since 4.52 ({@code model.language_model.*},
 * {@code lm_head.weight}, {@code model.vision_tower.*}, {@code model.multi_modal_projector.*}).
 *
 * @param decoder prefix of the decoder's tensors ({@code embed_tokens}, {@code layers.N}, {@code norm})
 * @param lmHead the LM head tensor
 * @param vision prefix of the CLIP vision transformer, or null for text-only models
 * @param projector prefix of the projector, or null for text-only models
 */
public record TensorNames(String decoder, String lmHead, String vision, String projector) {
    public static final TensorNames LLAVA_ORIGINAL = new TensorNames("language_model.model.",
            "language_model.lm_head.weight", "vision_tower.vision_model.", "multi_modal_projector.");
    public static final TensorNames LLAVA_MODERN = new TensorNames("model.language_model.", "lm_head.weight",
            "model.vision_tower.vision_model.", "model.multi_modal_projector.");
    public static final TensorNames CAUSAL_LM = new TensorNames("model.", "lm_head.weight", null, null);

    /** Picks the llava scheme the source uses, by its embedding tensor. */
    public static TensorNames detectLlava(ParameterSource source) {
        for (TensorNames n : new TensorNames[] {LLAVA_ORIGINAL, LLAVA_MODERN}) {
            if (source.has(n.decoder + "embed_tokens.weight")) return n;
        }
        throw new IllegalArgumentException(source.describe() + ": not a llava checkpoint: found neither "
                + LLAVA_ORIGINAL.decoder + "embed_tokens.weight nor " + LLAVA_MODERN.decoder + "embed_tokens.weight");
    }
}
