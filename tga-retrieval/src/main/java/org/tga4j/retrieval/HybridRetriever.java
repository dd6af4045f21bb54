package org.tga4j.retrieval;

import java.io.IOException;
import java.util.List;

/** BM25 and dense candidates fused by reciprocal rank; every hit is named {@code hybrid-rrf}. */
final class HybridRetriever implements Retriever {
    private final Retriever bm25;
    private final Retriever dense;
    private final int rrfK;
    private final int depth;

    HybridRetriever(Retriever bm25, Retriever dense, int rrfK, int depth) {
        if (depth < 1) throw new IllegalArgumentException("candidate depth must be >= 1, got " + depth);
        if (rrfK < 1) throw new IllegalArgumentException("RRF k must be >= 1, got " + rrfK);
        this.bm25 = bm25;
        this.dense = dense;
        this.rrfK = rrfK;
        this.depth = depth;
    }

    @Override
    public String name() {
        return ReciprocalRankFusion.NAME;
    }

    @Override
    public List<Hit> retrieve(RetrievalQuery query, int k) throws IOException {
        int d = Math.max(k, depth);
        List<Hit> lexical = query.text() == null ? List.of() : bm25.retrieve(query, d);
        List<Hit> semantic = dense.retrieve(query, d);
        return ReciprocalRankFusion.fuse(List.of(lexical, semantic), rrfK, k);
    }
}
