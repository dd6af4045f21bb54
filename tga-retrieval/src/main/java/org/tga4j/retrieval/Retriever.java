package org.tga4j.retrieval;

import java.io.IOException;
import java.util.List;

/** Top-k caption retrieval. Implementations are thread-safe (one shared searcher, many query threads). */
public interface Retriever {

    /** Name recorded with every hit: {@code bm25}, {@code dense}, {@code hybrid-rrf}. */
    String name();

    /** The best {@code k} captions, best first; equal scores are ordered by id ascending. */
    List<Hit> retrieve(RetrievalQuery query, int k) throws IOException;
}
