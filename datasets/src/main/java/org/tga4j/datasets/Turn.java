package org.tga4j.datasets;

import java.util.Objects;

/**
 * One turn of a LLaVA conversation: {@code {"from": "human"|"gpt", "value": "..."}}.
 * The first human turn of an image record carries the literal {@code <image>} token.
 */
public record Turn(String from, String value) {
    public static final String HUMAN = "human";
    public static final String GPT = "gpt";
    public static final String IMAGE_TOKEN = "<image>";

    public Turn {
        Objects.requireNonNull(from, "turn.from");
        Objects.requireNonNull(value, "turn.value");
    }

    public boolean isHuman() {
        return HUMAN.equals(from);
    }

    public boolean isGpt() {
        return GPT.equals(from);
    }
}
