package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BM25 over caption text, ranked by score then id. Ignores the query image. Searches the in-memory copy of the
 * postings ({@link HeapBm25Searcher}), which returns exactly what Lucene's BooleanQuery over the same index returns.
 */
final class Bm25Retriever implements Retriever {
    static final String NAME = "bm25";

    private final CaptionIndex index;

    Bm25Retriever(CaptionIndex index) {
        this.index = index;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Hit> retrieve(RetrievalQuery query, int k) throws IOException {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (query.text() == null) throw new IllegalArgumentException("bm25 needs a query text (image-only query given)");
        Map<String, Integer> terms = index.queryTerms(query.text());
        if (terms.isEmpty()) return List.of();
        // The self-hit exclusion ranks the top k+1 and drops the excluded id: the same top k as excluding it up front.
        String exclude = query.excludeId();
        int n = exclude == null ? k : k + 1;
        List<TopK.Entry> top = index.heapBm25().search(terms, n);
        List<Hit> hits = index.load(top);
        if (exclude == null) return hits;
        List<Hit> kept = new ArrayList<>(k);
        for (Hit h : hits) {
            if (!h.id().equals(exclude) && kept.size() < k) kept.add(h);
        }
        return kept;
    }
}
