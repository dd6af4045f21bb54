package org.tga4j.runtime.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated conversation: an optional system text, then turns of (user, assistant-or-null). Only the last
 * turn may lack an answer.
 */
record Conversation(String explicitSystem, List<Turn> turns) {
    record Turn(String user, String assistant) {}

    static Conversation of(List<ChatMessage> messages, String template) {
        if (messages == null || messages.isEmpty()) {
            throw new TemplateException("template " + template + ": the conversation has no messages");
        }
        int i = 0;
        String system = null;
        if (messages.get(0).role() == ChatMessage.Role.SYSTEM) {
            system = messages.get(0).content();
            i = 1;
        }
        List<Turn> turns = new ArrayList<>();
        while (i < messages.size()) {
            ChatMessage user = messages.get(i);
            if (user.role() != ChatMessage.Role.USER) {
                throw new TemplateException("template " + template + ": message " + i + " must be USER (after an "
                        + "optional leading SYSTEM, roles alternate USER, ASSISTANT), got " + user.role());
            }
            String answer = null;
            if (i + 1 < messages.size()) {
                ChatMessage a = messages.get(i + 1);
                if (a.role() != ChatMessage.Role.ASSISTANT) {
                    throw new TemplateException("template " + template + ": message " + (i + 1)
                            + " must be ASSISTANT, got " + a.role());
                }
                answer = a.content();
            }
            turns.add(new Turn(user.content(), answer));
            i += 2;
        }
        if (turns.isEmpty()) {
            throw new TemplateException("template " + template + ": the conversation has no USER message");
        }
        return new Conversation(system, List.copyOf(turns));
    }

    /** The system text: a SYSTEM message, else {@code optionsSystem}, else the template default. */
    String system(PromptOptions options, String templateDefault) {
        if (explicitSystem != null) {
            return explicitSystem;
        }
        return options.systemPrompt() != null ? options.systemPrompt() : templateDefault;
    }

    /** Whether the last turn awaits an answer. */
    boolean awaitsAnswer() {
        return turns.get(turns.size() - 1).assistant() == null;
    }

    void requireSingleTurn(String template) {
        if (turns.size() != 1) {
            throw new TemplateException("template " + template + " renders a single user message (and an optional "
                    + "answer), got " + turns.size() + " turns");
        }
    }
}
