package org.tga4j.runtime.text;

import java.util.List;

/**
 * LLaVA's {@code SeparatorStyle.TWO} conversations ({@code llava_v1}, {@code vicuna_v1}):
 * {@code <s>{system} USER: {q} ASSISTANT: {a}</s>USER: {q2} ASSISTANT:} — sep {@code " "} after the system
 * text and user turns, sep2 = eos after each answer. Labels cover {@code " {a}</s>"} per turn, as LLaVA's
 * {@code preprocess_v1} trains on the answer and its {@code </s>}.
 */
final class VicunaStyleTemplate implements ChatTemplate {
    private final String name;
    private final String defaultSystem;

    VicunaStyleTemplate(String name, String defaultSystem) {
        this.name = name;
        this.defaultSystem = defaultSystem;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> templateTexts() {
        return List.of(defaultSystem, " USER:", "USER:", " ASSISTANT:");
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, name);
        PromptBuilder b = new PromptBuilder(name, tok, options);
        if (tok.addBos()) {
            b.bos(-1);
        }
        b.text(SpanKind.SYSTEM, conv.system(options, defaultSystem), -1);
        for (int t = 0; t < conv.turns().size(); t++) {
            Conversation.Turn turn = conv.turns().get(t);
            b.text(SpanKind.TEMPLATE, t == 0 ? " USER:" : "USER:", t);
            b.userContent(" ", turn.user(), t, t == 0);
            if (turn.assistant() != null) {
                b.text(SpanKind.TEMPLATE, " ASSISTANT:", t);
                b.text(SpanKind.ANSWER, " " + turn.assistant(), t);
                b.eos(SpanKind.ANSWER, t);
            } else if (options.addGenerationPrompt()) {
                b.text(SpanKind.TEMPLATE, " ASSISTANT:", t);
            }
        }
        return b.build();
    }
}
