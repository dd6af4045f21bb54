package org.tga4j.runtime.text;

import java.util.Arrays;

/**
 * Streaming detokenizer: feed generated ids one at a time and get back the text that became final.
 *
 * <p>Decoding token by token is wrong for byte-level BPE (a character's UTF-8 bytes may be split across tokens)
 * and for SentencePiece (a token's leading space depends on its neighbour). So this keeps a short window: the
 * text of the ids since the last emitted point is decoded together with a little context before it, and text is
 * only released once it does not end in an incomplete character ({@code U+FFFD}). The concatenation of all
 * {@link #push} results plus {@link #flush()} equals {@code decode(allIds)}.
 *
 * <p>Not thread-safe: one instance per generation stream.
 */
public final class IncrementalDecoder {
    private final TextTokenizer tokenizer;
    private final boolean skipSpecial;
    private int[] ids = new int[16];
    private int size;
    private int prefixOffset;
    private int readOffset;

    /** A decoder over {@code tokenizer}; {@code skipSpecial} drops special tokens (eos...) from the text. */
    public IncrementalDecoder(TextTokenizer tokenizer, boolean skipSpecial) {
        this.tokenizer = tokenizer;
        this.skipSpecial = skipSpecial;
    }

    /** Adds one id; returns the newly completed text (possibly empty). */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String prefixText = decode(prefixOffset, readOffset);
        String newText = decode(prefixOffset, size);
        if (newText.length() > prefixText.length() && !newText.endsWith("\uFFFD")
                && newText.startsWith(prefixText)) {
            String delta = newText.substring(prefixText.length());
            prefixOffset = readOffset;
            readOffset = size;
            return delta;
        }
        return "";
    }

    /** Returns whatever text is still held back (e.g. an incomplete character at the end of the stream). */
    public String flush() {
        String prefixText = decode(prefixOffset, readOffset);
        String all = decode(prefixOffset, size);
        prefixOffset = readOffset = size;
        return all.length() > prefixText.length() && all.startsWith(prefixText)
                ? all.substring(prefixText.length()) : "";
    }

    /** Every id pushed so far. */
    public int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    private String decode(int from, int to) {
        return from >= to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecial);
    }
}
