package org.tga4j.runtime.text;

/**
 * A run of prompt token positions {@code [start, end)} of one kind.
 *
 * @param kind  what the tokens are
 * @param start first position (inclusive)
 * @param end   last position (exclusive)
 * @param turn  conversation turn (0 = first user/assistant exchange), -1 for none (system, bos, padding)
 */
public record Span(SpanKind kind, int start, int end, int turn) {
    public Span {
        if (kind == null) {
            throw new IllegalArgumentException("span kind is null");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ") of " + kind);
        }
    }

    /** Number of positions. */
    public int length() {
        return end - start;
    }

    /** Whether {@code position} is inside the span. */
    public boolean contains(int position) {
        return position >= start && position < end;
    }

    /** This span moved right by {@code offset} positions. */
    public Span shifted(int offset) {
        return new Span(kind, start + offset, end + offset, turn);
    }
}
