package org.tga4j.datasets.tinyworld;

import java.util.Locale;

/** TinyWorld's fixed colour vocabulary; each name is one word and maps to a base BGR colour (jittered per image). */
public enum Colour {
    RED(40, 40, 215),
    GREEN(50, 165, 45),
    BLUE(205, 90, 25),
    YELLOW(30, 215, 245),
    ORANGE(20, 135, 250),
    PURPLE(160, 45, 135),
    PINK(190, 140, 255),
    BROWN(35, 75, 135),
    BLACK(30, 30, 30),
    WHITE(245, 245, 245),
    GREY(140, 140, 140);

    /** Base colour in OpenCV's BGR order. */
    public final int b, g, r;

    Colour(int b, int g, int r) {
        this.b = b;
        this.g = g;
        this.r = r;
    }

    /** The word used in captions, e.g. {@code red}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Colour fromWord(String w) {
        return valueOf(w.toUpperCase(Locale.ROOT));
    }
}
