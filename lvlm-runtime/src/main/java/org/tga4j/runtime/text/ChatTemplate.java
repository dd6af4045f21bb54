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
