package org.tga4j.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A CLIP dual-encoder {@code config.json} ({@code model_type: clip}): vision tower, text tower, projection heads. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClipConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("text_config") ClipTextConfig textConfig,
        @JsonProperty("vision_config") ClipVisionConfig visionConfig,
        @JsonProperty("projection_dim") Integer projectionDim,
        @JsonProperty("logit_scale_init_value") Double logitScaleInitValue) {

    public ClipConfig {
        modelType = "clip";
        if (textConfig == null) textConfig = new ClipTextConfig(null, null, null, null, null, null, null, null, null,
                null, null);
        if (visionConfig == null) visionConfig = new ClipVisionConfig(null, null, null, null, null, null, null, null,
                null, null, null);
        projectionDim = projectionDim == null ? 512 : projectionDim;
        logitScaleInitValue = logitScaleInitValue == null ? 2.6592 : logitScaleInitValue;
    }
}
