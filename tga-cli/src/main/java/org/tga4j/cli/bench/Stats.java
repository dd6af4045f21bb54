package org.tga4j.cli.bench;

import java.util.Arrays;

/** Small statistics helpers for benchmark figures. */
public final class Stats {
    private Stats() {}

    /** The median (mean of the two middle values for an even count). */
    public static double median(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
