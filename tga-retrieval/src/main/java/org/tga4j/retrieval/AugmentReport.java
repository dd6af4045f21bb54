package org.tga4j.retrieval;

import java.util.Map;

/**
 * Outcome of a TGA augmentation run.
 *
 * @param total good records read
 * @param augmented records that got {@code image_caption} and {@code retrieved_caption}
 * @param textOnly records without an image, written unchanged
 * @param noHit image records whose retrieval returned nothing (written with {@code image_caption} only)
 * @param bad bad records (unparseable, no caption, image path outside the root, retrieval error), skipped; details
 *     in the {@link org.tga4j.datasets.BadRecordReport} the job was given
 * @param rules how many augmented records each leak-guard rule produced ({@code exclude-self}, {@code first-half}, {@code none})
 */
public record AugmentReport(long total, long augmented, long textOnly, long noHit, long bad, Map<String, Long> rules) {}
