package org.tga4j.eval.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap for a proportion: {@code resamples} resamples of size n drawn with replacement by a
 * {@link SplittableRandom} seeded with {@code seed}; the interval is the 2.5% and 97.5% nearest-rank quantiles of the
 * resampled proportions. Same seed, same interval.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** The proportion of {@code true} in {@code outcomes} with its 95% percentile-bootstrap interval. */
    public static Rate proportion(boolean[] outcomes, int resamples, long seed) {
        int n = outcomes.length;
        long hits = 0;
        for (boolean b : outcomes) hits += b ? 1 : 0;
        if (n == 0) return new Rate(0, 0, Double.NaN, Double.NaN, Double.NaN);
        double value = (double) hits / n;
        if (resamples < 1) return new Rate(hits, n, value, value, value);
        double[] means = new double[resamples];
        SplittableRandom r = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            int k = 0;
            for (int i = 0; i < n; i++) k += outcomes[r.nextInt(n)] ? 1 : 0;
            means[b] = (double) k / n;
        }
        Arrays.sort(means);
        return new Rate(hits, n, value, quantile(means, 0.025), quantile(means, 0.975));
    }

    /** {@link #proportion(boolean[], int, long)} of a list of outcomes. */
    public static Rate proportion(List<Boolean> outcomes, int resamples, long seed) {
        boolean[] x = new boolean[outcomes.size()];
        for (int i = 0; i < x.length; i++) x[i] = outcomes.get(i);
        return proportion(x, resamples, seed);
    }

    /** Nearest-rank quantile of sorted values: the element at 1-based rank {@code ceil(q * n)} (at least 1). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) throw new IllegalArgumentException("quantile of no values");
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
