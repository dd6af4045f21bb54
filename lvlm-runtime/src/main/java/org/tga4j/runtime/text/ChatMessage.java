package org.tga4j.runtime.text;

/**
 * One conversation message.
 *
 * @param role    who speaks
 * @param content the text; user text may contain {@code <image>} placeholders
 */
public record ChatMessage(Role role, String content) {
    /** Speaker roles. */
    public enum Role { SYSTEM, USER, ASSISTANT }

    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("message role and content must be non-null");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
