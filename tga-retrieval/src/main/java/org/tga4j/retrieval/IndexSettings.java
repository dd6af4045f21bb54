package org.tga4j.retrieval;

/**
 * How a caption index is built.
 *
 * @param k1 BM25 term-frequency saturation (Anserini default 0.9)
 * @param b BM25 length normalisation (Anserini default 0.4)
 * @param ramBufferMb IndexWriter RAM buffer before a segment is flushed
 * @param threads indexing threads (documents are analysed in parallel)
 */
public record IndexSettings(float k1, float b, double ramBufferMb, int threads) {

    public static final float DEFAULT_K1 = 0.9f;
    public static final float DEFAULT_B = 0.4f;

    public IndexSettings {
        if (!(k1 >= 0) || Float.isInfinite(k1)) throw new IllegalArgumentException("BM25 k1 must be >= 0, got " + k1);
        if (!(b >= 0 && b <= 1)) throw new IllegalArgumentException("BM25 b must be in [0,1], got " + b);
        if (!(ramBufferMb >= 1)) throw new IllegalArgumentException("ramBufferMb must be >= 1, got " + ramBufferMb);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    /** Anserini's BM25 setting, 256 MB buffer, one indexing thread per core. */
    public static IndexSettings defaults() {
        return new IndexSettings(DEFAULT_K1, DEFAULT_B, 256, Runtime.getRuntime().availableProcessors());
    }

    public IndexSettings withBm25(float newK1, float newB) {
        return new IndexSettings(newK1, newB, ramBufferMb, threads);
    }

    public IndexSettings withThreads(int n) {
        return new IndexSettings(k1, b, ramBufferMb, n);
    }
}
