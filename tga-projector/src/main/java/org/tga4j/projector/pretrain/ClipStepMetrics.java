package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one contrastive step measured: a line of {@code metrics.jsonl}.
 *
 * @param loss the symmetric InfoNCE loss of the step's batch
 * @param batchAccuracy share of the batch's images whose own caption scored highest (in-batch image→text top-1)
 * @param logitScale {@code exp(logit_scale)} after the step
 * @param valTop1 held-out image→text top-1 when measured at this step, else null
 * @param skipped the step's gradient norm was not finite: no update was made
 */
public record ClipStepMetrics(
        int step,
        int epoch,
        @JsonProperty("lr") double learningRate,
        double loss,
        @JsonProperty("batch_acc") double batchAccuracy,
        @JsonProperty("logit_scale") double logitScale,
        @JsonProperty("grad_norm") double gradNorm,
        int samples,
        @JsonProperty("samples_per_s") double samplesPerSecond,
        @JsonProperty("step_ms") double stepMillis,
        @JsonProperty("val_top1") Double valTop1,
        boolean skipped) {}
