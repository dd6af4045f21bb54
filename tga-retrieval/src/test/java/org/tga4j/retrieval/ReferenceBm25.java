package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * The straightforward BM25 search every optimisation must agree with: the analysed terms as SHOULD clauses of one
 * {@link BooleanQuery} (a repeated term boosted by its count), searched on a plain {@link IndexSearcher} with Lucene's
 * sorting collector on (score desc, id asc) for the top k (+1 when an id is excluded), texts from stored fields.
 */
final class ReferenceBm25 implements Retriever {
    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final boolean exhaustive;
    private final CaptionIndex index;

    /** The exhaustive reference: every matching doc is scored (no pruning at all). */
    ReferenceBm25(CaptionIndex index) {
        this(index, true);
    }

    /**
     * @param exhaustive {@code false}: let Lucene prune by score (block-max MaxScore) as the retriever did before
     *     its own fast path, for timing comparisons
     */
    ReferenceBm25(CaptionIndex index, boolean exhaustive) {
        this.exhaustive = exhaustive;
        this.index = index;
        this.searcher = new IndexSearcher(index.searcher().getIndexReader());
        this.searcher.setSimilarity(new BM25Similarity(index.metadata().k1(), index.metadata().b()));
        this.analyzer = CaptionSchema.newAnalyzer(index.metadata().analyzer());
    }

    @Override
    public String name() {
        return Bm25Retriever.NAME;
    }

    @Override
    public List<Hit> retrieve(RetrievalQuery query, int k) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(CaptionSchema.TEXT, query.text())) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) counts.merge(term.toString(), 1, Integer::sum);
            ts.end();
        }
        if (counts.isEmpty()) return List.of();
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Query tq = new TermQuery(new Term(CaptionSchema.TEXT, e.getKey()));
            b.add(e.getValue() == 1 ? tq : new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
        }
        int n = query.excludeId() == null ? k : k + 1;
        TopFieldDocs td = searcher.search(b.build(), new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, n, null, exhaustive ? Integer.MAX_VALUE : n));
        List<Hit> hits = new ArrayList<>();
        for (ScoreDoc sd : td.scoreDocs) {
            Hit h = index.load(sd.doc, (Float) ((FieldDoc) sd).fields[0], Bm25Retriever.NAME);
            if (h.id().equals(query.excludeId())) continue;
            if (hits.size() == k) break;
            hits.add(h);
        }
        return hits;
    }
}
