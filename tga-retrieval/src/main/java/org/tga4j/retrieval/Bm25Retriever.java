package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;

/** BM25 over caption text, ranked by score then id. Ignores the query image. */
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
        Query q = index.textQuery(query.text());
        if (q instanceof MatchNoDocsQuery) return List.of();
        // The self-hit exclusion filters the top k+1 instead of adding a MUST_NOT clause: a pure disjunction keeps
        // Lucene's block-max (MaxScore) bulk scorer, and dropping one id from the ranked k+1 gives the same top k.
        String exclude = query.excludeId();
        int n = exclude == null ? k : k + 1;
        TopFieldDocs td = index.searcher().search(q, new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, n, null, n));
        List<Hit> hits = index.load(td.scoreDocs, NAME, sd -> (Float) ((FieldDoc) sd).fields[0]);
        if (exclude == null) return hits;
        List<Hit> kept = new ArrayList<>(k);
        for (Hit h : hits) {
            if (!h.id().equals(exclude) && kept.size() < k) kept.add(h);
        }
        return kept;
    }
}
