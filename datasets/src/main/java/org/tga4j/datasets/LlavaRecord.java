package org.tga4j.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LLaVA conversation record (LCS-558K, mix-665K), optionally TGA-augmented.
 *
 * @param id record id
 * @param image image path relative to the image root, or {@code null} for text-only rows
 * @param conversations alternating human / gpt turns
 * @param imageCaption TGA: the image's own caption ({@code image_caption}), or {@code null}
 * @param retrievedCaption TGA: the retrieved related text ({@code retrieved_caption}), or {@code null}
 * @param retrieval TGA: how {@code retrievedCaption} was produced, or {@code null}
 * @param extra fields of the source record that tga4j does not interpret (e.g. mix-665K's {@code model}), kept in
 *     order so that a read/write round trip loses nothing; never {@code null}
 */
public record LlavaRecord(
        String id,
        String image,
        List<Turn> conversations,
        String imageCaption,
        String retrievedCaption,
        RetrievalInfo retrieval,
        Map<String, JsonNode> extra) {

    public LlavaRecord {
        Objects.requireNonNull(id, "id");
        conversations = List.copyOf(conversations);
        extra = extra == null || extra.isEmpty()
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public LlavaRecord(
            String id, String image, List<Turn> conversations, String imageCaption, String retrievedCaption,
            RetrievalInfo retrieval) {
        this(id, image, conversations, imageCaption, retrievedCaption, retrieval, Map.of());
    }

    public LlavaRecord(String id, String image, List<Turn> conversations) {
        this(id, image, conversations, null, null, null);
    }

    public boolean hasImage() {
        return image != null && !image.isEmpty();
    }

    /** The first gpt turn: for LCS-558K pretraining records this is the image's caption. */
    public String firstAnswer() {
        return conversations.stream().filter(Turn::isGpt).map(Turn::value).findFirst().orElse(null);
    }

    public LlavaRecord withTga(String caption, String retrieved, RetrievalInfo info) {
        return new LlavaRecord(id, image, conversations, caption, retrieved, info, extra);
    }

    /**
     * Provenance of a retrieved caption.
     *
     * @param retriever retriever name, e.g. {@code bm25}, {@code dense}, {@code hybrid-rrf}
     * @param score retriever score of the chosen text
     * @param rule leak-guard rule applied: {@code exclude-self} or {@code first-half}, or {@code none}
     * @param sourceId id of the retrieved caption
     */
    public record RetrievalInfo(String retriever, double score, String rule, String sourceId) {}
}
