package org.tga4j.projector;

/**
 * A band of hidden-state indices {@code [first, last]} (inclusive; HF convention: 0 = embeddings, l = output of
 * layer l) where TGA aligns image and caption hidden states.
 */
public record LayerBand(int first, int last) {
    public LayerBand {
        if (first < 0 || last < first) throw new IllegalArgumentException("bad layer band [" + first + ", " + last + "]");
    }

    /** The middle third of a decoder's {@code layers} layers (at least one index, never the embeddings). */
    public static LayerBand middleThird(int layers) {
        int first = Math.max(1, layers / 3 + (layers % 3 == 0 ? 0 : 1));
        int last = Math.max(first, Math.min(layers, (2 * layers) / 3));
        return new LayerBand(first, last);
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
