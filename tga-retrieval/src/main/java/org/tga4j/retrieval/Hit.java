package org.tga4j.retrieval;

/**
 * One retrieved caption.
 *
 * @param id caption id
 * @param text stored raw caption text
 * @param score retriever score (BM25 score, kNN similarity, or RRF score)
 * @param retriever which retriever produced it: {@code bm25}, {@code dense} or {@code hybrid-rrf}
 */
public record Hit(String id, String text, double score, String retriever) {}
