package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * HNSW kNN over the caption vectors. The query vector is the image embedding when the query has an image and the
 * embedder has an image tower (image→text retrieval), otherwise the text embedding. Scores are Lucene's cosine
 * similarity mapped to [0,1] ({@code (1+cos)/2}).
 */
final class DenseRetriever implements Retriever {
    static final String NAME = "dense";

    private final CaptionIndex index;
    private final Embedder embedder;

    DenseRetriever(CaptionIndex index, Embedder embedder) {
        this.index = index;
        this.embedder = embedder;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Hit> retrieve(RetrievalQuery query, int k) throws IOException {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        float[] v;
        if (query.image() != null && embedder.supportsImages()) {
            v = embedder.embedImage(query.image());
        } else if (query.text() != null) {
            v = embedder.embedText(query.text());
        } else {
            throw new IllegalArgumentException("embedder " + embedder.name() + " has no image tower and the query has no text");
        }
        if (v.length != embedder.dimension()) {
            throw new IllegalStateException("embedder " + embedder.name() + " returned " + v.length + " dims, expected " + embedder.dimension());
        }
        Query filter = query.excludeId() == null ? null : new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(CaptionSchema.ID, query.excludeId())), BooleanClause.Occur.MUST_NOT)
                .build();
        TopDocs td = index.searcher().search(new KnnFloatVectorQuery(CaptionSchema.VECTOR, v, k, filter), k);
        List<Hit> hits = new ArrayList<>(index.load(td.scoreDocs, NAME, sd -> sd.score));
        hits.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::id));
        return hits;
    }
}
