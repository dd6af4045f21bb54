package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tga4j.eval.ClipEmbedder;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.Embedder;
import org.tga4j.retrieval.HashingTextEmbedder;
import org.tga4j.retrieval.Retriever;

/**
 * Shared parsing for the retrieval commands: which embedder ({@code none}, {@code hashing-bow-DIM}, or {@code clip}
 * with a CLIP checkpoint directory) and which retriever. The CLIP embedder comes from safety-eval, so the retrieval
 * module itself never sees model code.
 */
final class RetrievalOptions {
    static final String CLIP = "clip";

    private RetrievalOptions() {}

    /**
     * An embedder chosen on the command line, closed with the command (a CLIP holds native weights).
     *
     * @param embedder the embedder, or {@code null} for none
     */
    record OpenEmbedder(Embedder embedder) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (embedder instanceof AutoCloseable c) c.close();
        }
    }

    /**
     * The embedder for building an index: {@code none}, {@code hashing-bow-DIM}, or {@code clip} (the text tower of
     * the CLIP at {@code clipDir}). A {@code null} spec means {@code clip} when a CLIP directory is given, else none.
     */
    static OpenEmbedder open(String spec, Path clipDir) {
        String s = spec != null ? spec : clipDir != null ? CLIP : "none";
        if (s.equals("none")) {
            if (clipDir != null) throw new IllegalArgumentException("--clip is used only with --embedder clip (got --embedder none)");
            return new OpenEmbedder(null);
        }
        if (s.equals(CLIP)) {
            if (clipDir == null) throw new IllegalArgumentException("--embedder clip needs --clip DIR (a CLIP dual-encoder checkpoint)");
            if (!Files.isDirectory(clipDir)) throw new IllegalArgumentException("--clip " + clipDir + ": no such directory");
            return new OpenEmbedder(ClipEmbedder.load(clipDir));
        }
        if (clipDir != null) throw new IllegalArgumentException("--clip is used only with --embedder clip (got --embedder " + s + ")");
        return new OpenEmbedder(HashingTextEmbedder.fromName(s).orElseThrow(() -> new IllegalArgumentException(
                "unknown embedder '" + s + "' (available: none, clip with --clip DIR, " + HashingTextEmbedder.NAME_PREFIX + "-DIM)")));
    }

    /**
     * The embedder for querying {@code index}: the one named on the command line, or else the one recorded in the
     * index when it can be rebuilt from its name (a hashing embedder; a CLIP needs its {@code --clip} directory).
     */
    static OpenEmbedder forQuerying(CaptionIndex index, String spec, Path clipDir) {
        if (spec != null || clipDir != null) return open(spec, clipDir);
        if (!index.metadata().hasVectors()) return new OpenEmbedder(null);
        return new OpenEmbedder(HashingTextEmbedder.fromName(index.metadata().embedder()).orElse(null));
    }

    /**
     * The retriever {@code kind} ({@code bm25}, {@code dense}, {@code hybrid}) over {@code index}.
     *
     * @param embedder the query embedder for dense and hybrid, or {@code null}
     */
    static Retriever retriever(CaptionIndex index, String kind, Embedder embedder, int rrfK) {
        return switch (kind) {
            case "bm25" -> index.bm25();
            case "dense", "hybrid" -> {
                if (embedder == null) throw new IllegalArgumentException(kind + " retrieval " + missingEmbedder(index));
                yield kind.equals("dense") ? index.dense(embedder) : index.hybrid(embedder, rrfK, 100);
            }
            default -> throw new IllegalArgumentException("unknown retriever '" + kind + "' (expected bm25, dense or hybrid)");
        };
    }

    /** Why no embedder is at hand for {@code index}, and what to pass. */
    static String missingEmbedder(CaptionIndex index) {
        if (!index.metadata().hasVectors()) {
            return "needs vectors, and the index at " + index.path() + " has none (rebuild it with tga index --embedder)";
        }
        String name = index.metadata().embedder();
        if (name.startsWith(CLIP + "-")) {
            return "needs the CLIP checkpoint the index was built with (" + name + "): pass --clip DIR";
        }
        return "needs the embedder the index was built with (" + name + "): pass --embedder";
    }
}
