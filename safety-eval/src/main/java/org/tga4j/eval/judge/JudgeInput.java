package org.tga4j.eval.judge;

/**
 * What a judge sees of one generation.
 *
 * @param prompt the user request as asked (without template wrapping)
 * @param output the generated text
 * @param firstTokenRefusalMass probability mass of the refusal tokens at the first answer position, or
 *     {@code null} when the generation was stored without it
 */
public record JudgeInput(String prompt, String output, Double firstTokenRefusalMass) {
    public JudgeInput {
        if (output == null) throw new IllegalArgumentException("a judge needs an output text (null given)");
    }

    public static JudgeInput of(String prompt, String output) {
        return new JudgeInput(prompt, output, null);
    }
}
