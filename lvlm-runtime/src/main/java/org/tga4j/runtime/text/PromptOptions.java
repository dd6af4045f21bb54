package org.tga4j.runtime.text;

/**
 * How a template renders a conversation.
 *
 * @param imageTokenId        id written at image positions (the model splices image features there)
 * @param imageTokensPerImage positions per {@code <image>} placeholder (e.g. 576 for CLIP-L/14-336); 0 keeps the
 *                            literal text {@code <image>} and tokenizes it as text (text-only runs, e.g. the TGA
 *                            target pass)
 * @param retrievedText       non-null: the first user turn becomes {@code Retrieved Text: {r}. <image>\n{q}}
 *                            (TGA); the {@code {r}} tokens form the RETRIEVED span
 * @param addGenerationPrompt when the last message is the user's, end with the assistant prefix so generation
 *                            starts where the answer would
 * @param systemPrompt        system prompt; null = the template's default (a SYSTEM message overrides both)
 */
public record PromptOptions(int imageTokenId, int imageTokensPerImage, String retrievedText,
                            boolean addGenerationPrompt, String systemPrompt) {
    public PromptOptions {
        if (imageTokensPerImage < 0) {
            throw new IllegalArgumentException("imageTokensPerImage must be >= 0, got " + imageTokensPerImage);
        }
        if (imageTokensPerImage > 0 && imageTokenId < 0) {
            throw new IllegalArgumentException("imageTokenId must be >= 0 when images expand, got " + imageTokenId);
        }
    }

    /** Text only ({@code <image>} stays literal text), generation prompt on, default system prompt. */
    public static PromptOptions textOnly() {
        return new PromptOptions(-1, 0, null, true, null);
    }

    /** Images expand to {@code tokensPerImage} copies of {@code imageTokenId}; generation prompt on. */
    public static PromptOptions withImage(int imageTokenId, int tokensPerImage) {
        return new PromptOptions(imageTokenId, tokensPerImage, null, true, null);
    }

    public PromptOptions withRetrievedText(String text) {
        return new PromptOptions(imageTokenId, imageTokensPerImage, text, addGenerationPrompt, systemPrompt);
    }

    public PromptOptions withGenerationPrompt(boolean add) {
        return new PromptOptions(imageTokenId, imageTokensPerImage, retrievedText, add, systemPrompt);
    }

    public PromptOptions withSystemPrompt(String system) {
        return new PromptOptions(imageTokenId, imageTokensPerImage, retrievedText, addGenerationPrompt, system);
    }

    /** Whether {@code <image>} placeholders expand to image positions. */
    public boolean expandsImages() {
        return imageTokensPerImage > 0;
    }
}
