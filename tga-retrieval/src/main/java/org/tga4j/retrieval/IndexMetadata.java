package org.tga4j.retrieval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a caption index was built with, stored as Lucene commit user data so it is committed atomically with
 * the documents it describes.
 *
 * @param formatVersion layout version of this module's index
 * @param analyzer analyzer name ({@code english})
 * @param k1 BM25 k1
 * @param b BM25 b
 * @param docCount number of live captions in this commit
 * @param embedder name of the embedder that filled the vector field, or {@code null} for a BM25-only index
 * @param dimension vector dimension, 0 without an embedder
 */
public record IndexMetadata(
        int formatVersion, String analyzer, float k1, float b, long docCount, String embedder, int dimension) {

    /** 3: id and raw text in binary doc values, nothing in stored fields (2: both stored; 1: sorted id doc values). */
    public static final int FORMAT_VERSION = 3;

    static final String K_FORMAT = "tga4j.format";
    static final String K_ANALYZER = "tga4j.analyzer";
    static final String K_K1 = "tga4j.bm25.k1";
    static final String K_B = "tga4j.bm25.b";
    static final String K_COUNT = "tga4j.docCount";
    static final String K_EMBEDDER = "tga4j.embedder";
    static final String K_DIM = "tga4j.embedder.dim";

    public boolean hasVectors() {
        return embedder != null;
    }

    Map<String, String> toUserData() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(K_FORMAT, Integer.toString(formatVersion));
        m.put(K_ANALYZER, analyzer);
        m.put(K_K1, Float.toString(k1));
        m.put(K_B, Float.toString(b));
        m.put(K_COUNT, Long.toString(docCount));
        if (embedder != null) {
            m.put(K_EMBEDDER, embedder);
            m.put(K_DIM, Integer.toString(dimension));
        }
        return m;
    }

    /**
     * Parses commit user data.
     *
     * @param where the index directory, for error messages
     * @throws IllegalStateException when the commit carries no tga4j metadata or a malformed value
     */
    static IndexMetadata fromUserData(Map<String, String> m, Object where) {
        if (!m.containsKey(K_FORMAT)) {
            throw new IllegalStateException("index at " + where + " has no tga4j metadata in its commit (not built by tga index?)");
        }
        try {
            int format = Integer.parseInt(m.get(K_FORMAT));
            if (format != FORMAT_VERSION) {
                throw new IllegalStateException(
                        "index at " + where + " has format version " + format + ", expected " + FORMAT_VERSION);
            }
            String emb = m.get(K_EMBEDDER);
            return new IndexMetadata(
                    format,
                    m.get(K_ANALYZER),
                    Float.parseFloat(m.get(K_K1)),
                    Float.parseFloat(m.get(K_B)),
                    Long.parseLong(m.get(K_COUNT)),
                    emb,
                    emb == null ? 0 : Integer.parseInt(m.get(K_DIM)));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalStateException("index at " + where + " has malformed tga4j metadata " + m, e);
        }
    }
}
