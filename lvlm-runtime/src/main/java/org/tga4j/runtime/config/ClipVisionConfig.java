package org.tga4j.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A CLIP vision tower's config ({@code vision_config} of a llava or clip checkpoint); HF CLIPVisionConfig defaults. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipVisionConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("hidden_size") Integer hiddenSize,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
        @JsonProperty("num_attention_heads") Integer numAttentionHeads,
        @JsonProperty("num_channels") Integer numChannels,
        @JsonProperty("image_size") Integer imageSize,
        @JsonProperty("patch_size") Integer patchSize,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("layer_norm_eps") Double layerNormEps,
        @JsonProperty("projection_dim") Integer projectionDim) {

    public ClipVisionConfig {
        modelType = modelType == null ? "clip_vision_model" : modelType;
        hiddenSize = hiddenSize == null ? 768 : hiddenSize;
        intermediateSize = intermediateSize == null ? 3072 : intermediateSize;
        numHiddenLayers = numHiddenLayers == null ? 12 : numHiddenLayers;
        numAttentionHeads = numAttentionHeads == null ? 12 : numAttentionHeads;
        numChannels = numChannels == null ? 3 : numChannels;
        imageSize = imageSize == null ? 224 : imageSize;
        patchSize = patchSize == null ? 32 : patchSize;
        hiddenAct = hiddenAct == null ? "quick_gelu" : hiddenAct;
        layerNormEps = layerNormEps == null ? 1e-5 : layerNormEps;
        projectionDim = projectionDim == null ? 512 : projectionDim;
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "vision_config: image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
        Activations.check(hiddenAct, "vision_config.hidden_act");
    }

    /** Patches per image side. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Patch tokens per image (without the class token). */
    public int numPatches() {
        return gridSize() * gridSize();
    }
}
