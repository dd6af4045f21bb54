package org.tga4j.projector;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What one optimiser step measured: a line of {@code metrics.jsonl}. Loss values are means over the step's
 * micro-batches; {@code sIc} / {@code sRc} are per band layer (hidden-state index → mean cosine; absent when no sample
 * of the step took part).
 */
public record StepMetrics(
        int step,
        int epoch,
        @JsonProperty("lr") double learningRate,
        double loss,
        double ce,
        double pair,
        double hinge,
        @JsonProperty("pair_scale") double pairScale,
        @JsonProperty("hinge_scale") double hingeScale,
        @JsonProperty("grad_norm") double gradNorm,
        @JsonProperty("s_ic") Map<String, Double> sIc,
        @JsonProperty("s_rc") Map<String, Double> sRc,
        int samples,
        long tokens,
        @JsonProperty("samples_per_s") double samplesPerSecond,
        @JsonProperty("tokens_per_s") double tokensPerSecond,
        @JsonProperty("step_ms") double stepMillis) {}
