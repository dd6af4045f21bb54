package org.tga4j.eval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tga4j.retrieval.Hit;
import org.tga4j.retrieval.RetrievalQuery;
import org.tga4j.retrieval.Retriever;

/**
 * Where the TGA prefix of a test image comes from: a test image has no caption, so the prefix is the top-1 caption
 * of image→text dense retrieval ({@link Retriever} over an index whose embedder has an image tower). The caption whose
 * id equals the item id is excluded (the leak guard: an index that happens to hold the test image's own caption
 * must not hand it over). One lookup per (image, item), cached.
 */
public final class PrefixRetrieval {
    private final Retriever retriever;
    private final String description;
    private final Map<String, Hit> cache = new ConcurrentHashMap<>();

    /**
     * @param retriever a dense retriever whose embedder embeds images
     * @param description how it was built (index path, embedder name), recorded in the manifest
     */
    public PrefixRetrieval(Retriever retriever, String description) {
        this.retriever = retriever;
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The top-1 caption for an image, never the caption with id {@code itemId}. */
    public Hit prefixFor(Path image, String itemId) {
        return cache.computeIfAbsent(image + "\u0000" + itemId, k -> {
            Path img = image;
            try {
                List<Hit> hits = retriever.retrieve(new RetrievalQuery(null, img, itemId), 1);
                if (hits.isEmpty()) throw new IllegalStateException("retrieval returned nothing for " + img);
                return hits.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException("retrieving a caption for " + img + ": " + e.getMessage(), e);
            }
        });
    }
}
