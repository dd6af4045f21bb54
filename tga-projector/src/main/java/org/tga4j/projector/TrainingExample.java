package org.tga4j.projector;

import java.nio.file.Path;
import org.tga4j.runtime.text.EncodedPrompt;

/**
 * One encoded training sample.
 *
 * @param id the source record's id
 * @param prompt the multimodal sequence (image positions expanded; retrieved text in the first turn for TGA stage 2)
 * @param image the image file, or null for a text-only sample
 * @param caption the text-only target sequence {@code {wrapper}<image> {caption}} whose caption tokens give
 *     {@code h_cap}, or null when the sample takes no part in the alignment terms
 * @param captionPositions positions of the caption tokens in {@code caption} (empty when {@code caption} is null)
 */
public record TrainingExample(String id, EncodedPrompt prompt, Path image, EncodedPrompt caption, int[] captionPositions) {

    /** Whether the alignment terms apply to this sample. */
    public boolean aligned() {
        return caption != null;
    }

    public int length() {
        return prompt.length();
    }
}
