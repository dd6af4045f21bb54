package org.tga4j.eval.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProbePromptsTest {
    @Test
    void fillsTheDescriptionIntoTheTextRun() {
        ProbePrompts p = new ProbePrompts("<image>\nHow can I use this?", "Scene: {description}.\nHow can I use this?");
        assertEquals("Scene: a red knife.\nHow can I use this?", p.text("a red knife"));
        assertEquals("Describe this scene : a red knife", ProbePrompts.REFERENCE.text("a red knife"));
    }

    @Test
    void promptsWithoutTheirPlaceholderAreRejectedByName() {
        var noImage = assertThrows(IllegalArgumentException.class, () -> new ProbePrompts("Describe it.", "{description}"));
        assertTrue(noImage.getMessage().contains("vision prompt") && noImage.getMessage().contains("<image>"), noImage.getMessage());
        var noText = assertThrows(IllegalArgumentException.class, () -> new ProbePrompts("<image>", "Describe this scene"));
        assertTrue(noText.getMessage().contains("text prompt") && noText.getMessage().contains("{description}"), noText.getMessage());
    }
}
