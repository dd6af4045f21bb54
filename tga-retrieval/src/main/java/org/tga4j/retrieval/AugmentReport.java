package org.tga4j.retrieval;

import java.util.List;
import java.util.Map;

/**
 * Outcome of a TGA augmentation run.
 *
 * @param total records read
 * @param augmented records that got {@code image_caption} and {@code retrieved_caption}
 * @param textOnly records without an image, written unchanged
 * @param noHit image records whose retrieval returned nothing (written with {@code image_caption} only)
 * @param bad bad records (unparseable, no caption, image path outside the root, retrieval error); skipped
 * @param rules how many augmented records each leak-guard rule produced ({@code exclude-self}, {@code first-half}, {@code none})
 * @param problems the first bad-record messages
 */
public record AugmentReport(
        long total, long augmented, long textOnly, long noHit, long bad, Map<String, Long> rules, List<String> problems) {}
