package org.tga4j.runtime.generate;

/**
 * Called once per row of a batch with the next-token probabilities at the first answer position (the softmax of the
 * prompt pass's logits at the prompt's last token), before any token is chosen — what HF's {@code output_scores}
 * gives for the first step. A safety evaluation reads a refusal's probability there without a second prompt pass.
 */
@FunctionalInterface
public interface FirstStepListener {
    void onFirstStep(int row, float[] probabilities);
}
