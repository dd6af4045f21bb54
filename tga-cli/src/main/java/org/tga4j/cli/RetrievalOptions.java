package org.tga4j.cli;

import java.util.Optional;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.Embedder;
import org.tga4j.retrieval.HashingTextEmbedder;
import org.tga4j.retrieval.Retriever;

/** Shared parsing for the retrieval commands: embedder specs and retriever choice. */
final class RetrievalOptions {
    private RetrievalOptions() {}

    /** {@code none} → null; {@code hashing-bow-N} → a {@link HashingTextEmbedder} of dimension N. */
    static Embedder embedder(String spec) {
        if (spec == null || spec.equals("none")) return null;
        return HashingTextEmbedder.fromName(spec).orElseThrow(() -> new IllegalArgumentException(
                "unknown embedder '" + spec + "' (available: none, " + HashingTextEmbedder.NAME_PREFIX + "-DIM)"));
    }

    /** The embedder named by {@code spec}, or, when absent, the one recorded in the index if it can be rebuilt here. */
    static Optional<Embedder> embedderFor(CaptionIndex index, String spec) {
        if (spec != null) return Optional.ofNullable(embedder(spec));
        if (!index.metadata().hasVectors()) return Optional.empty();
        return HashingTextEmbedder.fromName(index.metadata().embedder()).map(e -> (Embedder) e);
    }

    static Retriever retriever(CaptionIndex index, String kind, String embedderSpec, int rrfK) {
        return switch (kind) {
            case "bm25" -> index.bm25();
            case "dense", "hybrid" -> {
                Embedder e = embedderFor(index, embedderSpec).orElseThrow(() -> new IllegalArgumentException(
                        kind + " retrieval needs the embedder the index was built with ("
                                + (index.metadata().hasVectors() ? index.metadata().embedder() : "this index has no vectors; rebuild with --embedder")
                                + "); pass --embedder"));
                yield kind.equals("dense") ? index.dense(e) : index.hybrid(e, rrfK, 100);
            }
            default -> throw new IllegalArgumentException("unknown retriever '" + kind + "' (expected bm25, dense or hybrid)");
        };
    }
}
