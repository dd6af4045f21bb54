package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrieved text (own caption excluded) shares the object class of the query caption for >= 90% of queries. */
class RetrievalQualityTest {
    @TempDir Path tmp;

    @Test
    void retrievedCaptionSharesTheObjectClass() throws IOException {
        List<ObjectWorld.Item> world = ObjectWorld.generate(42, 40);
        Map<String, String> classOf = new HashMap<>();
        world.forEach(it -> classOf.put(it.caption().id(), it.objectClass()));
        Embedder emb = new HashingTextEmbedder(256);
        Path dir = tmp.resolve("world");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), emb)) {
            w.addAll(world.stream().map(ObjectWorld.Item::caption).iterator());
            w.commit();
        }
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            for (Retriever r : List.of(idx.bm25(), idx.dense(emb), idx.hybrid(emb))) {
                int same = 0;
                for (ObjectWorld.Item it : world) {
                    List<Hit> hits = r.retrieve(RetrievalQuery.text(it.caption().text()).excluding(it.caption().id()), 1);
                    assertEquals(1, hits.size());
                    assertNotEquals(it.caption().id(), hits.get(0).id());
                    assertEquals(r.name(), hits.get(0).retriever());
                    if (classOf.get(hits.get(0).id()).equals(it.objectClass())) same++;
                }
                double share = same / (double) world.size();
                assertTrue(share >= 0.9, r.name() + ": only " + share + " of retrieved captions share the object class");
            }
        }
    }
}
