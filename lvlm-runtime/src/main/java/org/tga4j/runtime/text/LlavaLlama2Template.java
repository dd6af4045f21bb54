package org.tga4j.runtime.text;

import java.util.List;

/**
 * LLaVA's {@code llava_llama_2} ({@code SeparatorStyle.LLAMA_2}):
 * {@code <s>[INST] <<SYS>>\n{sys}\n<</SYS>>\n\n{q} [/INST] {a} </s><s>[INST] {q2} [/INST]}. The prompt ends at
 * {@code [/INST]} where the assistant starts. Labels cover {@code " {a} </s>"} per turn (LLaVA's
 * {@code preprocess_llama_2}); the next turn's {@code <s>} is not trained.
 */
final class LlavaLlama2Template implements ChatTemplate {
    static final String NAME = "llava_llama_2";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> templateTexts() {
        return List.of("[INST] <<SYS>>\n", JinjaChatTemplates.LLAVA_LLAMA_2_SYSTEM, "\n<</SYS>>\n\n", "[INST]", " [/INST]");
    }

    @Override
    public EncodedPrompt encode(List<ChatMessage> messages, PromptOptions options, TextTokenizer tok) {
        Conversation conv = Conversation.of(messages, NAME);
        PromptBuilder b = new PromptBuilder(NAME, tok, options);
        String system = conv.system(options, JinjaChatTemplates.LLAVA_LLAMA_2_SYSTEM);
        for (int t = 0; t < conv.turns().size(); t++) {
            Conversation.Turn turn = conv.turns().get(t);
            if (t > 0 || tok.addBos()) {
                b.bos(t == 0 ? -1 : t);
            }
            if (t == 0 && !system.isEmpty()) {
                b.text(SpanKind.TEMPLATE, "[INST] <<SYS>>\n", t);
                b.text(SpanKind.SYSTEM, system, -1);
                b.text(SpanKind.TEMPLATE, "\n<</SYS>>\n\n", t);
                b.userContent("", turn.user(), t, true);
            } else {
                b.text(SpanKind.TEMPLATE, "[INST]", t);
                b.userContent(" ", turn.user(), t, t == 0);
            }
            b.text(SpanKind.TEMPLATE, " [/INST]", t);
            if (turn.assistant() != null) {
                b.text(SpanKind.ANSWER, " " + turn.assistant() + " ", t);
                b.eos(SpanKind.ANSWER, t);
            }
        }
        return b.build();
    }
}
