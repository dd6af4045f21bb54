package org.tga4j.datasets.tinyworld;

import java.util.Locale;

/**
 * Where an object sits: one of four quadrants (used when an image has 2–3 objects, or sometimes 1) or the center
 * (a single, larger object). The phrase is what captions and answers say.
 */
public enum Position {
    TOP_LEFT("at the top left", 0.25, 0.25),
    TOP_RIGHT("at the top right", 0.75, 0.25),
    BOTTOM_LEFT("at the bottom left", 0.25, 0.75),
    BOTTOM_RIGHT("at the bottom right", 0.75, 0.75),
    CENTER("in the center", 0.5, 0.5);

    /** Caption phrase, e.g. {@code at the top left}. */
    public final String phrase;
    /** Cell centre as a fraction of the image side. */
    public final double fx, fy;

    Position(String phrase, double fx, double fy) {
        this.phrase = phrase;
        this.fx = fx;
        this.fy = fy;
    }

    /** Identifier used in scene files, e.g. {@code top_left}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Position fromKey(String k) {
        return valueOf(k.toUpperCase(Locale.ROOT));
    }

    /** The four quadrants, in caption order. */
    public static final java.util.List<Position> QUADRANTS = java.util.List.of(TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT);
}
