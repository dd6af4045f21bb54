package org.tga4j.runtime.text;

import java.util.List;

/**
 * No chat wrapper: the user text as-is (bos first when the tokenizer adds one, as HF's tokenizer call would),
 * {@code <image>} placeholders still expand. A system prompt is only used when given (SYSTEM message or
 * {@link PromptOptions#systemPrompt()}), followed by a newline. An answer follows the user text directly and
 * ends with eos.
 */
final class NoneTemplate implements ChatTemplate {
    static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, NAME);
        conv.requireSingleTurn(NAME);
        Conversation.Turn turn = conv.turns().get(0);
        PromptBuilder b = new PromptBuilder(NAME, tok, options);
        if (tok.addBos()) {
            b.bos(-1);
        }
        String system = conv.system(options, "");
        if (!system.isEmpty()) {
            b.text(SpanKind.SYSTEM, system, -1);
            b.text(SpanKind.TEMPLATE, "\n", -1);
        }
        b.userContent("", turn.user(), 0, true);
        if (turn.assistant() != null) {
            b.text(SpanKind.ANSWER, turn.assistant(), 0);
            b.eos(SpanKind.ANSWER, 0);
        }
        return b.build();
    }
}
