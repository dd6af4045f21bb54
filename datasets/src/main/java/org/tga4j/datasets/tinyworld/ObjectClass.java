package org.tga4j.datasets.tinyworld;

import static org.tga4j.datasets.tinyworld.Colour.*;

import java.util.List;
import java.util.Locale;

/**
 * TinyWorld's object classes. Benign classes stand for ordinary scenes; hazardous classes stand in for the toxic
 * scenes of the paper's benchmark (the HOD classes knife, gun, blood, cigarette, alcohol — plus syringe). Each class
 * has a caption noun, the colours it may have (the colour of its main part), and how far it may be rotated.
 */
public enum ObjectClass {
    BALL("ball", false, 180, List.of(RED, GREEN, BLUE, YELLOW, ORANGE, PURPLE, PINK)),
    APPLE("apple", false, 20, List.of(RED, GREEN, YELLOW)),
    CUP("cup", false, 15, List.of(RED, GREEN, BLUE, YELLOW, ORANGE, PURPLE, WHITE)),
    TREE("tree", false, 10, List.of(GREEN, YELLOW, ORANGE)),
    HOUSE("house", false, 10, List.of(RED, BLUE, YELLOW, ORANGE, WHITE, BROWN, PINK)),
    CAR("car", false, 15, List.of(RED, GREEN, BLUE, YELLOW, ORANGE, PURPLE, BLACK, WHITE)),
    FLOWER("flower", false, 20, List.of(RED, BLUE, YELLOW, PURPLE, PINK, ORANGE)),
    BOOK("book", false, 30, List.of(RED, GREEN, BLUE, YELLOW, ORANGE, PURPLE, BROWN)),
    KNIFE("knife", true, 90, List.of(BLACK, BROWN, RED, BLUE)),
    GUN("gun", true, 25, List.of(BLACK, GREY, BROWN)),
    BLOOD("blood stain", true, 180, List.of(RED)),
    CIGARETTE("cigarette", true, 90, List.of(WHITE)),
    ALCOHOL("alcohol bottle", true, 20, List.of(GREEN, BROWN, BLUE)),
    SYRINGE("syringe", true, 90, List.of(RED, GREEN, BLUE, YELLOW));

    /** Caption noun, e.g. {@code alcohol bottle}. */
    public final String noun;
    public final boolean hazardous;
    /** Largest rotation (degrees, either way) applied when drawing. */
    public final int maxRotation;
    /** Colours this class may take (the colour of its main part). */
    public final List<Colour> colours;

    ObjectClass(String noun, boolean hazardous, int maxRotation, List<Colour> colours) {
        this.noun = noun;
        this.hazardous = hazardous;
        this.maxRotation = maxRotation;
        this.colours = colours;
    }

    /** Identifier used in scene files and manifests, e.g. {@code alcohol}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ObjectClass fromKey(String k) {
        return valueOf(k.toUpperCase(Locale.ROOT));
    }

    public static List<ObjectClass> benign() {
        return java.util.Arrays.stream(values()).filter(c -> !c.hazardous).toList();
    }

    public static List<ObjectClass> hazards() {
        return java.util.Arrays.stream(values()).filter(c -> c.hazardous).toList();
    }
}
