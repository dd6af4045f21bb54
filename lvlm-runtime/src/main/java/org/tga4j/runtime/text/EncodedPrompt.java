package org.tga4j.runtime.text;

import java.util.Arrays;

/**
 * Token ids of a rendered prompt with their {@link PromptLayout}.
 *
 * @param ids    token ids; image positions hold the image token id
 * @param layout the spans over {@code ids} (same length)
 */
public record EncodedPrompt(int[] ids, PromptLayout layout) {
    public EncodedPrompt {
        if (ids.length != layout.length()) {
            throw new IllegalArgumentException("ids length " + ids.length + " != layout length " + layout.length());
        }
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /**
     * Training labels, not shifted: {@code labels[i] = ids[i]} where position i is in an ANSWER span, else
     * {@code ignoreIndex}. ANSWER spans include the end-of-turn token after each answer (e.g. {@code </s>}), as
     * LLaVA trains on it. The trainer shifts (position i's logits predict labels[i + 1]).
     */
    public int[] labels(int ignoreIndex) {
        boolean[] answer = layout.mask(SpanKind.ANSWER);
        int[] labels = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = answer[i] ? ids[i] : ignoreIndex;
        }
        return labels;
    }

    /** Copy with {@code pad} copies of {@code padId} in front and a PADDING span (for batched generation). */
    public EncodedPrompt leftPadded(int pad, int padId) {
        int[] out = new int[pad + ids.length];
        Arrays.fill(out, 0, pad, padId);
        System.arraycopy(ids, 0, out, pad, ids.length);
        return new EncodedPrompt(out, layout.leftPadded(pad));
    }

    /** Copy with {@code pad} copies of {@code padId} at the end and a PADDING span (for training batches). */
    public EncodedPrompt rightPadded(int pad, int padId) {
        int[] out = Arrays.copyOf(ids, ids.length + pad);
        Arrays.fill(out, ids.length, out.length, padId);
        return new EncodedPrompt(out, layout.rightPadded(pad));
    }

    /** The ids inside {@code span}. */
    public int[] idsOf(Span span) {
        return Arrays.copyOfRange(ids, span.start(), span.end());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedPrompt p && Arrays.equals(p.ids, ids) && p.layout.equals(layout);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + layout.hashCode();
    }

    @Override
    public String toString() {
        return "EncodedPrompt[ids=" + Arrays.toString(ids) + ", layout=" + layout + "]";
    }
}
