package org.tga4j.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * One prompt for {@link Lvlm}: the user's text, its images (each matched to an {@code <image>} placeholder, which is
 * prepended when the text has none), and optionally TGA's retrieved text and a system prompt.
 *
 * @param prompt the user's message
 * @param images image files, in placeholder order; empty for text-only prompts
 * @param retrievedText TGA's retrieved text ({@code Retrieved Text: {r}. <image>\n{q}}), or null
 * @param systemPrompt overrides the template's default system prompt, or null
 */
public record Request(String prompt, List<Path> images, String retrievedText, String systemPrompt) {
    public Request {
        if (prompt == null) throw new IllegalArgumentException("prompt must not be null");
        images = images == null ? List.of() : List.copyOf(images);
    }

    public static Request text(String prompt) {
        return new Request(prompt, List.of(), null, null);
    }

    public static Request withImage(String prompt, Path image) {
        return new Request(prompt, List.of(image), null, null);
    }

    public Request withRetrievedText(String text) {
        return new Request(prompt, images, text, systemPrompt);
    }

    public Request withSystemPrompt(String system) {
        return new Request(prompt, images, retrievedText, system);
    }
}
