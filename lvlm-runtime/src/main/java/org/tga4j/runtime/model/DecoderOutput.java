package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a decoder forward returns.
 *
 * @param logits {@code [B, T, vocab]} (or {@code [B, 1, vocab]} for {@link Logits#LAST}); null for {@link Logits#NONE}
 * @param hiddenStates when requested, HF's convention: index 0 = input embeddings, index l = output of layer l, and
 *     the last entry ({@code numLayers}) has the final norm applied; each {@code [B, T, hidden]}. Empty otherwise.
 */
public record DecoderOutput(NDArray logits, List<NDArray> hiddenStates) {

    /** Which positions get logits. */
    public enum Logits {
        ALL,
        LAST,
        NONE
    }
}
