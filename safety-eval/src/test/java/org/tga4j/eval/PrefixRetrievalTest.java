package org.tga4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tga4j.eval.bench.PrefixRetrieval;
import org.tga4j.retrieval.Hit;
import org.tga4j.retrieval.RetrievalQuery;
import org.tga4j.retrieval.Retriever;

class PrefixRetrievalTest {
    @Test
    void asksImageToTextExcludingTheItemsOwnCaptionOncePerImage() {
        List<RetrievalQuery> seen = new ArrayList<>();
        Retriever r = new Retriever() {
            @Override
            public String name() {
                return "dense";
            }

            @Override
            public List<Hit> retrieve(RetrievalQuery q, int k) {
                seen.add(q);
                assertEquals(1, k);
                return List.of(new Hit("other", "a red knife", 0.9, "dense"));
            }
        };
        PrefixRetrieval p = new PrefixRetrieval(r, "test");
        Path img = Path.of("/data/test/tw1.png");
        assertEquals("a red knife", p.prefixFor(img, "tw1").text());
        assertEquals("a red knife", p.prefixFor(img, "tw1").text());
        assertEquals(1, seen.size(), "cached");
        assertNull(seen.get(0).text(), "a test image has no caption: pure image query");
        assertEquals(img, seen.get(0).image());
        assertEquals("tw1", seen.get(0).excludeId(), "leak guard");
    }
}
