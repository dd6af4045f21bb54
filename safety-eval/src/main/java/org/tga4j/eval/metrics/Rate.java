package org.tga4j.eval.metrics;

/**
 * A proportion with its bootstrap 95% confidence interval.
 *
 * @param hits items counted (refused, complied, correct…)
 * @param total items judged
 * @param value {@code hits / total} ({@code NaN} when total is 0)
 * @param lo lower end of the percentile-bootstrap 95% interval
 * @param hi upper end
 */
public record Rate(long hits, long total, double value, double lo, double hi) {}
