package org.tga4j.retrieval;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How TGA keeps an image's own caption from coming back as its "retrieved" text. */
public enum LeakGuard {
    /** Exclude the image's own caption (by id) from the candidates. Recommended. */
    EXCLUDE_SELF("exclude-self"),
    /** The reference implementation's rule: if the top hit is the image's own caption, use its first half (by characters). */
    FIRST_HALF("first-half"),
    /** No guard: the top hit as is (may be the caption itself). */
    NONE("none");

    private final String label;

    LeakGuard(String label) {
        this.label = label;
    }

    /** The name recorded in {@code RetrievalInfo.rule} and accepted on the command line. */
    public String label() {
        return label;
    }

    public static LeakGuard parse(String s) {
        for (LeakGuard g : values()) if (g.label.equals(s)) return g;
        throw new IllegalArgumentException("unknown leak guard '" + s + "', expected one of "
                + Arrays.stream(values()).map(LeakGuard::label).collect(Collectors.joining(", ")));
    }

    /** The first half of {@code text} by characters (code points, so a surrogate pair is never split). */
    static String firstHalf(String text) {
        int cps = text.codePointCount(0, text.length());
        return text.substring(0, text.offsetByCodePoints(0, cps / 2));
    }
}
