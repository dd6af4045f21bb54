package org.tga4j.datasets.tinyworld;

import java.util.Locale;

/** Data split; how scenes are assigned to one is described in {@link SceneSampler}. */
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
