package org.tga4j.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A llava-hf {@code config.json} ({@code model_type: llava}). {@code projector_type} is tga4j's key for LLaVA's
 * {@code mm_projector_type} ({@code mlp2x_gelu}, the llava-hf layout, or {@code linear}); {@code image_aspect_ratio}
 * is LLaVA's ({@code pad} = pad to square with the mean colour before the CLIP transform).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlavaConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("text_config") TextConfig textConfig,
        @JsonProperty("vision_config") ClipVisionConfig visionConfig,
        @JsonProperty("projector_hidden_act") String projectorHiddenAct,
        @JsonProperty("projector_type") String projectorType,
        @JsonProperty("vision_feature_layer") Integer visionFeatureLayer,
        @JsonProperty("vision_feature_select_strategy") String visionFeatureSelectStrategy,
        @JsonProperty("image_token_index") Integer imageTokenIndex,
        @JsonProperty("image_aspect_ratio") String imageAspectRatio,
        @JsonProperty("tie_word_embeddings") Boolean tieWordEmbeddings) {

    public LlavaConfig {
        modelType = "llava";
        if (textConfig == null) textConfig = new TextConfig(null, null, null, null, null, null, null, null, null,
                null, null, null, tieWordEmbeddings, null, null, null, null, null);
        if (visionConfig == null) visionConfig = new ClipVisionConfig(null, 1024, 4096, 24, 16, null, 336, 14, null,
                null, 768);
        projectorHiddenAct = projectorHiddenAct == null ? "gelu" : projectorHiddenAct;
        projectorType = projectorType == null ? "mlp2x_gelu" : projectorType;
        visionFeatureLayer = visionFeatureLayer == null ? -2 : visionFeatureLayer;
        visionFeatureSelectStrategy = visionFeatureSelectStrategy == null ? "default" : visionFeatureSelectStrategy;
        imageTokenIndex = imageTokenIndex == null ? 32000 : imageTokenIndex;
        imageAspectRatio = imageAspectRatio == null ? "pad" : imageAspectRatio;
        if (!projectorType.equals("mlp2x_gelu") && !projectorType.equals("linear")) {
            throw new IllegalArgumentException("config: projector_type '" + projectorType
                    + "' is not supported (expected mlp2x_gelu or linear)");
        }
        if (!visionFeatureSelectStrategy.equals("default") && !visionFeatureSelectStrategy.equals("full")) {
            throw new IllegalArgumentException("config: vision_feature_select_strategy '" + visionFeatureSelectStrategy
                    + "' is not supported (expected default or full)");
        }
        int layers = visionConfig.numHiddenLayers();
        int resolved = visionFeatureLayer < 0 ? layers + 1 + visionFeatureLayer : visionFeatureLayer;
        if (resolved < 0 || resolved > layers) {
            throw new IllegalArgumentException("config: vision_feature_layer " + visionFeatureLayer
                    + " is outside the vision tower's " + (layers + 1) + " hidden states");
        }
        Activations.check(projectorHiddenAct, "projector_hidden_act");
    }

    /** Index into the vision tower's hidden states (0 = embeddings after pre-LN, N = last layer) to feed the projector. */
    public int visionFeatureHiddenIndex() {
        int layers = visionConfig.numHiddenLayers();
        return visionFeatureLayer < 0 ? layers + 1 + visionFeatureLayer : visionFeatureLayer;
    }

    /** Image tokens each image contributes to the LLM sequence. */
    public int imageTokensPerImage() {
        return visionConfig.numPatches() + (visionFeatureSelectStrategy.equals("full") ? 1 : 0);
    }
}
