package org.tga4j.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A CLIP text tower's config ({@code text_config} of a clip checkpoint); HF CLIPTextConfig defaults. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipTextConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("hidden_size") Integer hiddenSize,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
        @JsonProperty("num_attention_heads") Integer numAttentionHeads,
        @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("layer_norm_eps") Double layerNormEps,
        @JsonProperty("eos_token_id") Integer eosTokenId,
        @JsonProperty("projection_dim") Integer projectionDim) {

    public ClipTextConfig {
        modelType = modelType == null ? "clip_text_model" : modelType;
        vocabSize = vocabSize == null ? 49408 : vocabSize;
        hiddenSize = hiddenSize == null ? 512 : hiddenSize;
        intermediateSize = intermediateSize == null ? 2048 : intermediateSize;
        numHiddenLayers = numHiddenLayers == null ? 12 : numHiddenLayers;
        numAttentionHeads = numAttentionHeads == null ? 8 : numAttentionHeads;
        maxPositionEmbeddings = maxPositionEmbeddings == null ? 77 : maxPositionEmbeddings;
        hiddenAct = hiddenAct == null ? "quick_gelu" : hiddenAct;
        layerNormEps = layerNormEps == null ? 1e-5 : layerNormEps;
        eosTokenId = eosTokenId == null ? 2 : eosTokenId;
        projectionDim = projectionDim == null ? 512 : projectionDim;
        Activations.check(hiddenAct, "text_config.hidden_act");
    }
}
