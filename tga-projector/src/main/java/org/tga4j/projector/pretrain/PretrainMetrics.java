package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one optimiser step of text pretraining measured: a line of {@code metrics.jsonl}.
 *
 * @param step 1-based optimiser step
 * @param epoch 0-based pass over the data the step's batch came from
 * @param learningRate the learning rate the step used
 * @param loss mean cross-entropy over the step's trained tokens (nats)
 * @param gradNorm global gradient L2 norm before clipping
 * @param sequences sequences in the step
 * @param tokens real (non-padding) tokens in the step
 * @param trainedTokens tokens the loss was on
 * @param tokensPerSecond {@code tokens} / step wall time
 * @param stepMillis step wall time (forward, backward, clipping, AdamW)
 */
public record PretrainMetrics(
        int step,
        int epoch,
        @JsonProperty("lr") double learningRate,
        double loss,
        @JsonProperty("grad_norm") double gradNorm,
        int sequences,
        long tokens,
        @JsonProperty("trained_tokens") long trainedTokens,
        @JsonProperty("tokens_per_s") double tokensPerSecond,
        @JsonProperty("step_ms") double stepMillis) {}
