package org.tga4j.runtime.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The named spans of a prompt. Spans are sorted and tile {@code [0, length())} exactly: every position belongs
 * to exactly one span. Training and the probe select positions through spans, never through offsets.
 */
public final class PromptLayout {
    private final List<Span> spans;
    private final int length;

    /**
     * @throws IllegalArgumentException unless the spans are contiguous from 0 (no gap, no overlap)
     */
    public PromptLayout(List<Span> spans) {
        int pos = 0;
        for (Span s : spans) {
            if (s.start() != pos) {
                throw new IllegalArgumentException("spans do not tile the sequence: " + s + " starts at "
                        + s.start() + ", expected " + pos);
            }
            pos = s.end();
        }
        this.spans = List.copyOf(spans);
        this.length = pos;
    }

    /** All spans in position order. */
    public List<Span> spans() {
        return spans;
    }

    /** The spans of one kind, in position order. */
    public List<Span> spans(SpanKind kind) {
        return spans.stream().filter(s -> s.kind() == kind).toList();
    }

    /** The first span of a kind. */
    public Optional<Span> first(SpanKind kind) {
        return spans.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The last span of a kind. */
    public Optional<Span> last(SpanKind kind) {
        List<Span> l = spans(kind);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
    }

    /** {@code mask[i]} is true where position i lies in a span of one of {@code kinds}; length {@link #length()}. */
    public boolean[] mask(SpanKind... kinds) {
        boolean[] m = new boolean[length];
        List<SpanKind> wanted = Arrays.asList(kinds);
        for (Span s : spans) {
            if (wanted.contains(s.kind())) {
                Arrays.fill(m, s.start(), s.end(), true);
            }
        }
        return m;
    }

    /** Number of positions in spans of the given kinds. */
    public int count(SpanKind... kinds) {
        int n = 0;
        for (boolean b : mask(kinds)) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Sequence length. */
    public int length() {
        return length;
    }

    /** The kind at a position. */
    public SpanKind kindAt(int position) {
        for (Span s : spans) {
            if (s.contains(position)) {
                return s.kind();
            }
        }
        throw new IndexOutOfBoundsException("position " + position + " outside [0, " + length + ")");
    }

    /** This layout after {@code pad} padding positions are put in front: spans shift right, PADDING [0, pad). */
    public PromptLayout leftPadded(int pad) {
        checkPad(pad);
        if (pad == 0) {
            return this;
        }
        List<Span> out = new ArrayList<>(spans.size() + 1);
        out.add(new Span(SpanKind.PADDING, 0, pad, -1));
        spans.forEach(s -> out.add(s.shifted(pad)));
        return new PromptLayout(out);
    }

    /** This layout with {@code pad} padding positions appended: PADDING [length, length + pad). */
    public PromptLayout rightPadded(int pad) {
        checkPad(pad);
        if (pad == 0) {
            return this;
        }
        List<Span> out = new ArrayList<>(spans);
        out.add(new Span(SpanKind.PADDING, length, length + pad, -1));
        return new PromptLayout(out);
    }

    private static void checkPad(int pad) {
        if (pad < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + pad);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptLayout p && p.spans.equals(spans);
    }

    @Override
    public int hashCode() {
        return spans.hashCode();
    }

    @Override
    public String toString() {
        return "PromptLayout" + spans;
    }
}
