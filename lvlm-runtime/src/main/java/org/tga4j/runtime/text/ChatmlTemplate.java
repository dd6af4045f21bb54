package org.tga4j.runtime.text;

import java.util.List;

/**
 * ChatML (Qwen2): {@code <|im_start|>system\n{sys}<|im_end|>\n<|im_start|>user\n{q}<|im_end|>\n
 * <|im_start|>assistant\n{a}<|im_end|>\n}; default system "You are a helpful assistant."; the generation prompt
 * is {@code <|im_start|>assistant\n}. Labels cover {@code {a}<|im_end|>}.
 */
final class ChatmlTemplate implements ChatTemplate {
    static final String NAME = "chatml";
    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(IM_END);
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, NAME);
        PromptBuilder b = new PromptBuilder(NAME, tok, options);
        if (tok.addBos()) {
            b.bos(-1);
        }
        String system = conv.system(options, JinjaChatTemplates.CHATML_SYSTEM);
        if (!system.isEmpty()) {
            header(b, "system", -1);
            b.text(SpanKind.SYSTEM, system, -1);
            b.special(SpanKind.TEMPLATE, IM_END, -1).text(SpanKind.TEMPLATE, "\n", -1);
        }
        for (int t = 0; t < conv.turns().size(); t++) {
            Conversation.Turn turn = conv.turns().get(t);
            header(b, "user", t);
            b.userContent("", turn.user(), t, t == 0);
            b.special(SpanKind.TEMPLATE, IM_END, t).text(SpanKind.TEMPLATE, "\n", t);
            if (turn.assistant() != null) {
                header(b, "assistant", t);
                b.text(SpanKind.ANSWER, turn.assistant(), t);
                b.special(SpanKind.ANSWER, IM_END, t);
                b.text(SpanKind.TEMPLATE, "\n", t);
            } else if (options.addGenerationPrompt()) {
                header(b, "assistant", t);
            }
        }
        return b.build();
    }

    private static void header(PromptBuilder b, String role, int turn) {
        b.special(SpanKind.TEMPLATE, IM_START, turn).text(SpanKind.TEMPLATE, role + "\n", turn);
    }
}
