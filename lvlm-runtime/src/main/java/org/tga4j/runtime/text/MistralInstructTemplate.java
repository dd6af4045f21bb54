package org.tga4j.runtime.text;

import java.util.List;

/**
 * Mistral-Instruct: {@code <s>[INST] {q} [/INST]{a}</s>[INST] {q2} [/INST]}. Mistral has no system role: a
 * system prompt (none by default) is put before the first user text, {@code [INST] {sys}\n\n{q} [/INST]}.
 * Labels cover {@code {a}</s>}.
 */
final class MistralInstructTemplate implements ChatTemplate {
    static final String NAME = "mistral_instruct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> templateTexts() {
        return List.of("[INST]", " [/INST]");
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, NAME);
        PromptBuilder b = new PromptBuilder(NAME, tok, options);
        if (tok.addBos()) {
            b.bos(-1);
        }
        String system = conv.system(options, "");
        for (int t = 0; t < conv.turns().size(); t++) {
            Conversation.Turn turn = conv.turns().get(t);
            b.text(SpanKind.TEMPLATE, "[INST]", t);
            if (t == 0 && !system.isEmpty()) {
                b.text(SpanKind.SYSTEM, " " + system, -1);
                b.userContent("\n\n", turn.user(), t, true);
            } else {
                b.userContent(" ", turn.user(), t, t == 0);
            }
            b.text(SpanKind.TEMPLATE, " [/INST]", t);
            if (turn.assistant() != null) {
                b.text(SpanKind.ANSWER, turn.assistant(), t);
                b.eos(SpanKind.ANSWER, t);
            }
        }
        return b.build();
    }
}
