package org.tga4j.runtime;

/**
 * A finished generation.
 *
 * @param text the decoded new text (special tokens skipped)
 * @param promptTokenIds the full prompt as the model saw it (template and expanded image tokens included)
 * @param tokenIds the generated token ids (a final stop token excluded)
 * @param stopReason {@code stop} or {@code length}
 * @param prefillMillis time of the prompt pass (image encoding included)
 * @param decodeTokensPerSecond generated tokens per second after the prompt pass
 */
public record Generation(String text, int[] promptTokenIds, int[] tokenIds, String stopReason, double prefillMillis,
        double decodeTokensPerSecond) {}
