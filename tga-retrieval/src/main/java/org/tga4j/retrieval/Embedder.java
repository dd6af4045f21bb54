package org.tga4j.retrieval;

import java.nio.file.Path;

/**
 * Maps texts (and, for CLIP-style models with two towers, images) into one vector space used by the dense
 * HNSW field of a caption index. The retrieval module only sees vectors, so it does not depend on model code.
 * Implementations must be thread-safe: batch retrieval calls them from several threads.
 */
public interface Embedder {

    /** Embeds a text; the returned vector has {@link #dimension()} entries. */
    float[] embedText(String text);

    /**
     * Embeds an image into the same space as {@link #embedText(String)}.
     *
     * @throws UnsupportedOperationException when the embedder has no image tower ({@link #supportsImages()} false)
     */
    float[] embedImage(Path image);

    /** Vector dimension. */
    int dimension();

    /** A stable name recorded in the index metadata; queries must use an embedder with the same name. */
    String name();

    /** Whether {@link #embedImage(Path)} is available (image→text kNN). */
    default boolean supportsImages() {
        return false;
    }
}
