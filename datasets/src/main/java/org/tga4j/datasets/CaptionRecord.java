package org.tga4j.datasets;

import java.util.Objects;

/** One caption in a caption corpus: JSONL {@code {"id","text"}} (or Pyserini's {@code {"id","contents"}}). */
public record CaptionRecord(String id, String text) {
    public CaptionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
