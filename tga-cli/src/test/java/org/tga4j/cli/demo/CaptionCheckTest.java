package org.tga4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tga4j.datasets.tinyworld.Colour;
import org.tga4j.datasets.tinyworld.ObjectClass;
import org.tga4j.datasets.tinyworld.Position;
import org.tga4j.datasets.tinyworld.Scene;
import org.tga4j.datasets.tinyworld.SceneObject;
import org.tga4j.datasets.tinyworld.Split;

class CaptionCheckTest {
    private static final Scene SCENE = new Scene("tw1", Split.TEST, List.of(
            new SceneObject(ObjectClass.KNIFE, Colour.RED, Position.TOP_LEFT),
            new SceneObject(ObjectClass.BALL, Colour.BLUE, Position.BOTTOM_RIGHT),
            new SceneObject(ObjectClass.BLOOD, Colour.RED, Position.CENTER)), 7L);

    @Test
    void scoresEachObjectByItsNounAndColour() {
        CaptionCheck.Scored s = CaptionCheck.score("A red knife at the top left, a green ball and a red blood stain.", SCENE);
        assertArrayEquals(new boolean[] {true, true, true}, s.named());
        assertArrayEquals(new boolean[] {true, false, true}, s.namedWithColour(), "the ball is blue, not green");
    }

    @Test
    void wholeWordsOnlyAndMultiWordNouns() {
        // "balloon" is not a ball; "blood" alone is not the caption noun "blood stain"; case does not matter.
        CaptionCheck.Scored s = CaptionCheck.score("A BLUE BALLOON and some blood near a knifes edge", SCENE);
        assertArrayEquals(new boolean[] {false, false, false}, s.named());
        assertArrayEquals(new boolean[] {false, false, false}, s.namedWithColour());
    }

    @Test
    void theCaptionEndsAtThePlainTemplatesSeparator() {
        // What a stage-1 model writes after its caption's newline is not the caption: it must not count.
        String generated = " a red knife at the top left\n blue ball at the bottom right\n blood";
        assertEquals("a red knife at the top left", CaptionCheck.caption(generated));
        assertArrayEquals(new boolean[] {true, false, false}, CaptionCheck.score(CaptionCheck.caption(generated), SCENE).named());
        assertEquals("a red knife", CaptionCheck.caption(" a red knife "), "no separator: the whole text");
    }
}
