package org.tga4j.runtime.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds an {@link EncodedPrompt} piece by piece: each text piece is tokenized on its own (as LLaVA's
 * {@code tokenizer_image_token} does around {@code <image>}), checked to decode back to its text (modulo
 * whitespace), and recorded as a span. Adjacent pieces of the same kind and turn share one span.
 */
final class PromptBuilder {
    static final String IMAGE_PLACEHOLDER = "<image>";

    private final String template;
    private final TextTokenizer tok;
    private final PromptOptions options;
    private int[] ids = new int[64];
    private int size;
    private final List<Span> spans = new ArrayList<>();
    private int segment;

    PromptBuilder(String template, TextTokenizer tok, PromptOptions options) {
        this.template = template;
        this.tok = tok;
        this.options = options;
    }

    /** Tokenizes {@code text} as one piece of {@code kind}; empty text adds nothing. */
    PromptBuilder text(SpanKind kind, String text, int turn) {
        if (text.isEmpty()) {
            return this;
        }
        int index = segment++;
        int[] piece = tok.encode(text);
        String decoded = tok.decode(piece, false);
        if (!stripWhitespace(decoded).equals(stripWhitespace(text))) {
            throw new TemplateException("tokenization mismatch in template " + template + " at segment " + index
                    + " (" + kind + "): text \"" + text + "\" encodes to " + Arrays.toString(piece)
                    + " which decodes to \"" + decoded + "\" (tokenizer " + tok.modelDir() + ")");
        }
        add(kind, piece, turn);
        return this;
    }

    /** A special token by its id when the vocabulary has it, else its text tokenized. */
    PromptBuilder special(SpanKind kind, String token, int turn) {
        var id = tok.tokenId(token);
        if (id.isPresent()) {
            segment++;
            add(kind, new int[] {id.getAsInt()}, turn);
            return this;
        }
        return text(kind, token, turn);
    }

    /** The bos token (when the tokenizer has one). */
    PromptBuilder bos(int turn) {
        if (tok.bosId() >= 0) {
            segment++;
            add(SpanKind.TEMPLATE, new int[] {tok.bosId()}, turn);
        }
        return this;
    }

    /** The eos token as part of {@code kind} (the answer's end-of-turn). */
    PromptBuilder eos(SpanKind kind, int turn) {
        if (tok.eosId() < 0) {
            throw new TemplateException("template " + template + " needs an eos token but tokenizer "
                    + tok.modelDir() + " defines none (tokenizer_config.json eos_token)");
        }
        segment++;
        add(kind, new int[] {tok.eosId()}, turn);
        return this;
    }

    /** One image placeholder: the IMAGE span when images expand, else the literal text {@code <image>}. */
    PromptBuilder image(int turn) {
        if (!options.expandsImages()) {
            return text(SpanKind.TEMPLATE, IMAGE_PLACEHOLDER, turn);
        }
        int[] piece = new int[options.imageTokensPerImage()];
        Arrays.fill(piece, options.imageTokenId());
        segment++;
        add(SpanKind.IMAGE, piece, turn);
        return this;
    }

    /**
     * User text of a turn: {@code separator} (the whitespace between the role label and the text) joined to the
     * text, split around {@code <image>} placeholders (expanded to IMAGE, or kept as literal TEMPLATE text when
     * images do not expand, so QUESTION never includes the placeholder). Whitespace-only pieces are TEMPLATE,
     * the rest QUESTION.
     * In the first turn with {@code retrievedText}, renders {@code Retrieved Text: {r}. <image>\n{q}} where q
     * is the user text without its placeholders.
     */
    PromptBuilder userContent(String separator, String content, int turn, boolean firstUserTurn) {
        if (firstUserTurn && options.retrievedText() != null) {
            String question = content.replace(IMAGE_PLACEHOLDER, "").strip();
            text(SpanKind.TEMPLATE, separator + "Retrieved Text:", turn);
            text(SpanKind.RETRIEVED, " " + options.retrievedText().strip(), turn);
            text(SpanKind.TEMPLATE, ". ", turn);
            image(turn);
            return question.isEmpty() ? this : text(SpanKind.QUESTION, "\n" + question, turn);
        }
        String[] parts = content.split(java.util.regex.Pattern.quote(IMAGE_PLACEHOLDER), -1);
        for (int i = 0; i < parts.length; i++) {
            userPiece(i == 0 ? separator + parts[0] : parts[i], turn);
            if (i + 1 < parts.length) {
                image(turn);
            }
        }
        return this;
    }

    private PromptBuilder userPiece(String text, int turn) {
        return text(text.isBlank() ? SpanKind.TEMPLATE : SpanKind.QUESTION, text, turn);
    }

    EncodedPrompt build() {
        return new EncodedPrompt(Arrays.copyOf(ids, size), new PromptLayout(spans));
    }

    private void add(SpanKind kind, int[] piece, int turn) {
        if (piece.length == 0) {
            return;
        }
        if (size + piece.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + piece.length));
        }
        System.arraycopy(piece, 0, ids, size, piece.length);
        int start = size;
        size += piece.length;
        Span last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
        if (last != null && last.kind() == kind && last.turn() == turn && last.end() == start) {
            spans.set(spans.size() - 1, new Span(kind, last.start(), size, turn));
        } else {
            spans.add(new Span(kind, start, size, turn));
        }
    }

    private static String stripWhitespace(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> !Character.isWhitespace(c) && c != '\u2581').forEach(b::appendCodePoint);
        return b.toString();
    }
}
