package org.tga4j.runtime.generate;

/**
 * One row's generation.
 *
 * @param promptTokens the prompt's token ids (without padding)
 * @param tokens the generated ids (the stop token, if one ended the row, is not included)
 * @param stopReason {@code stop} (a stop token), or {@code length} (max new tokens)
 * @param prefillMillis time of the batch's prompt pass
 * @param decodeMillis time of the batch's token-by-token decoding
 */
public record GenerationResult(int[] promptTokens, int[] tokens, String stopReason, double prefillMillis,
        double decodeMillis) {

    /** Generated tokens per second of decoding for this row (the batch decodes all rows together). */
    public double decodeTokensPerSecond() {
        return decodeMillis <= 0 ? 0 : tokens.length / (decodeMillis / 1000.0);
    }
}
