package org.tga4j.runtime.text;

import java.util.List;

/**
 * LLaVA pretraining ({@code plain}, {@code preprocess_plain}): {@code <s><image>{caption}\n}. The user message
 * must hold an {@code <image>} placeholder and is replaced by the image alone (LLaVA drops the instruction);
 * the answer (caption) and its {@code \n} separator are the ANSWER span. With retrieved text:
 * {@code <s>Retrieved Text: {r}. <image>{caption}\n}. No system prompt.
 */
final class PlainTemplate implements ChatTemplate {
    static final String NAME = "plain";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, NAME);
        conv.requireSingleTurn(NAME);
        Conversation.Turn turn = conv.turns().get(0);
        if (!turn.user().contains(PromptBuilder.IMAGE_PLACEHOLDER)) {
            throw new TemplateException("template plain (LLaVA pretraining) needs an <image> placeholder in the "
                    + "user message; use template 'none' for text-only prompts");
        }
        PromptBuilder b = new PromptBuilder(NAME, tok, options);
        if (tok.addBos()) {
            b.bos(-1);
        }
        if (options.retrievedText() != null) {
            b.text(SpanKind.TEMPLATE, "Retrieved Text:", 0);
            b.text(SpanKind.RETRIEVED, " " + options.retrievedText().strip(), 0);
            b.text(SpanKind.TEMPLATE, ". ", 0);
        }
        b.image(0);
        if (turn.assistant() != null) {
            b.text(SpanKind.ANSWER, turn.assistant() + "\n", 0);
        }
        return b.build();
    }
}
