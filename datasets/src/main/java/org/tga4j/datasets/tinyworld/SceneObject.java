package org.tga4j.datasets.tinyworld;

import java.util.Objects;

/** One object of a scene graph: what it is, its colour, and where it is. */
public record SceneObject(ObjectClass cls, Colour colour, Position position) {
    public SceneObject {
        Objects.requireNonNull(cls, "cls");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(position, "position");
        if (!cls.colours.contains(colour)) throw new IllegalArgumentException(cls.key() + " cannot be " + colour.word());
    }

    /** {@code a red knife at the top left}, {@code an orange ball in the center}. */
    public String phrase() {
        return TinyWorldLanguage.withArticle(colour.word() + " " + cls.noun) + " " + position.phrase;
    }
}
