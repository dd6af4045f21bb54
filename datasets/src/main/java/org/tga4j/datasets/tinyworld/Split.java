package org.tga4j.datasets.tinyworld;

import java.util.Locale;

/** Data split. Scenes are assigned by their composition, so a composition in {@code TEST} never occurs in {@code TRAIN}. */
public enum Split {
    TRAIN,
    VAL,
    TEST;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split fromKey(String k) {
        return valueOf(k.toUpperCase(Locale.ROOT));
    }
}
