package org.tga4j.runtime.text;

/** What a run of prompt tokens is. */
public enum SpanKind {
    /** The system prompt text. */
    SYSTEM,
    /** The retrieved text of a TGA prompt ({@code Retrieved Text: {r}.}: the {@code {r}} tokens only). */
    RETRIEVED,
    /** Image positions (the expanded {@code <image>} placeholder). */
    IMAGE,
    /** User text. */
    QUESTION,
    /** Assistant text plus the end-of-turn token(s) the model must learn to emit (e.g. {@code </s>}). */
    ANSWER,
    /** Wrapper tokens: bos, {@code [INST]}, {@code USER:}, role headers, separators. */
    TEMPLATE,
    /** Batch padding. */
    PADDING
}
