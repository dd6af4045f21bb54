package org.tga4j.retrieval;

import java.nio.file.Path;

/**
 * A retrieval request.
 *
 * @param text query text (for TGA: the image's caption); may be {@code null} for a pure image query
 * @param image image file for image→text kNN, or {@code null}
 * @param excludeId caption id never to return (the leak guard's self-hit exclusion), or {@code null}
 */
public record RetrievalQuery(String text, Path image, String excludeId) {
    public RetrievalQuery {
        if (text == null && image == null) throw new IllegalArgumentException("a query needs a text or an image");
    }

    public static RetrievalQuery text(String text) {
        return new RetrievalQuery(text, null, null);
    }

    public RetrievalQuery excluding(String id) {
        return new RetrievalQuery(text, image, id);
    }
}
