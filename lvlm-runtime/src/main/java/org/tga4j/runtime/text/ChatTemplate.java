package org.tga4j.runtime.text;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Renders a conversation into token ids plus the {@link PromptLayout} of its spans. */
public interface ChatTemplate {
    /** The template's name ({@link ChatTemplates#byName}). */
    String name();

    /**
     * Encodes {@code messages}: an optional leading SYSTEM message, then USER/ASSISTANT alternating, starting with
     * USER. Each text piece is tokenized on its own and the ids concatenated, so every span is exact.
     *
     * @throws TemplateException on a malformed conversation or when the tokens do not decode back to the text
     */
    EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok);

    /**
     * The fixed text this template puts around the messages — its default system prompt, role tags and separators —
     * each piece as it is tokenized on its own. A tokenizer trained for this template should see them as often as it
     * sees turns (a real model's corpus of chat transcripts does), or every prompt pays for them in characters.
     * Templates whose fixed text is special tokens only return none.
     */
    default List<String> templateTexts() {
        return List.of();
    }

    /** Strings that end an assistant turn in this template (besides the tokenizer's eos). */
    default List<String> endOfTurnTokens() {
        return List.of();
    }

    /** Ids that should stop generation: the tokenizer's stop ids plus this template's end-of-turn tokens. */
    default Set<Integer> stopIds(TextTokenizer tok) {
        Set<Integer> ids = new LinkedHashSet<>(tok.stopIds());
        for (String t : endOfTurnTokens()) {
            tok.tokenId(t).ifPresent(ids::add);
        }
        return ids;
    }
}
