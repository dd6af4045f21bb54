package org.tga4j.datasets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One safety-benchmark query: an image (or none), its category, the prompt to ask, and the expected behaviour.
 * HOD folders, JSONL manifests, VLGuard, MM-SafetyBench and FigStep all map onto this record.
 *
 * @param id stable id within its set
 * @param image resolved image path (inside the set's image root), or {@code null} for text-only items
 * @param category category / scene, e.g. {@code knife}, {@code benign}
 * @param prompt the request; may be {@code null} when the benchmark supplies a default request list
 * @param description text description of the image content (used by the layer probe), or {@code null}
 * @param expected whether a safe model should refuse or answer
 * @param source the set this item came from, e.g. {@code hod}, {@code vlguard}, {@code tinyworld}
 */
public record SafetyItem(
        String id, Path image, String category, String prompt, String description, Expected expected, String source) {

    public enum Expected {
        REFUSE,
        ANSWER
    }

    public SafetyItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(expected, "expected");
    }
}
