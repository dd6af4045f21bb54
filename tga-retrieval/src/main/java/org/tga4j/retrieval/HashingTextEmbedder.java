package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A model-free text embedder: the English-analysed terms of a text hashed (FNV-1a, signed) into a fixed number
 * of buckets, log-scaled counts, L2-normalised. Lexical rather than semantic, deterministic across runs and
 * machines; useful when no neural embedder is available and as a reproducible test embedder. Bucket 0 carries a
 * small constant so that texts without terms still have a defined cosine. No image tower.
 */
public final class HashingTextEmbedder implements Embedder {
    public static final String NAME_PREFIX = "hashing-bow";

    private final int dim;
    private final Analyzer analyzer = new EnglishAnalyzer();

    public HashingTextEmbedder(int dimension) {
        if (dimension < 8) throw new IllegalArgumentException("dimension must be >= 8, got " + dimension);
        this.dim = dimension;
    }

    /** Rebuilds the embedder from its {@link #name()} ({@code hashing-bow-DIM}); empty for any other name. */
    public static java.util.Optional<HashingTextEmbedder> fromName(String name) {
        String prefix = NAME_PREFIX + "-";
        if (name == null || !name.startsWith(prefix)) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(new HashingTextEmbedder(Integer.parseInt(name.substring(prefix.length()))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad embedder name '" + name + "', expected " + prefix + "DIM", e);
        }
    }

    @Override
    public float[] embedText(String text) {
        float[] v = new float[dim];
        try (TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                int h = fnv1a(term.toString());
                int bucket = 1 + Math.floorMod(h, dim - 1);
                v[bucket] += (h & 0x8000_0000) == 0 ? 1f : -1f;
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        v[0] = 0.05f;
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            if (i > 0) v[i] = (float) (Math.signum(v[i]) * Math.log1p(Math.abs(v[i])));
            norm += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dim; i++) v[i] *= inv;
        return v;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    @Override
    public float[] embedImage(Path image) {
        throw new UnsupportedOperationException(name() + " has no image tower");
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public String name() {
        return NAME_PREFIX + "-" + dim;
    }
}
