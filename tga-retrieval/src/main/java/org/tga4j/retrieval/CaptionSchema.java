package org.tga4j.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/** Field names, field types and the analyzer of a caption index: one place, shared by writer and searcher. */
final class CaptionSchema {
    /**
     * Caption id: indexed as a single term (replace-by-id, lookup) and binary doc values (tie-breaking, reading hits). Binary
     * rather than sorted doc values: indexing then only appends the bytes, with no per-segment hash and sort of a
     * million unique ids, and ties are rare enough that comparing bytes beats comparing ordinals.
     */
    static final String ID = "id";
    /**
     * Caption text: analyzed with the English analyzer, frequencies (no positions), norms; the raw text is kept in
     * binary doc values of the same field, not in stored fields: a hit's text is then read directly, instead of by
     * decompressing a block of neighbouring captions (which was ~13% of a BM25 query at k=10).
     */
    static final String TEXT = "text";
    /** Dense vector (HNSW, cosine), present only when the index was built with an embedder. */
    static final String VECTOR = "vec";

    static final String ANALYZER_NAME = "english";

    /** Ranking order: score descending, then id ascending, so equal scores come back in a stable order. */
    static final Sort SCORE_THEN_ID = new Sort(SortField.FIELD_SCORE, new SortField(ID, SortField.Type.STRING_VAL));

    static final FieldType TEXT_TYPE;

    static {
        FieldType t = new FieldType();
        t.setTokenized(true);
        t.setStored(false);
        t.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
        t.setOmitNorms(false);
        t.freeze();
        TEXT_TYPE = t;
    }

    private CaptionSchema() {}

    static Analyzer newAnalyzer(String name) {
        if (!ANALYZER_NAME.equals(name)) {
            throw new IllegalArgumentException("unsupported analyzer '" + name + "' (this version knows: english)");
        }
        return new EnglishAnalyzer();
    }
}
