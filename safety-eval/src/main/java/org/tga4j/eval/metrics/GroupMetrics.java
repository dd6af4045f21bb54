package org.tga4j.eval.metrics;

import java.util.Map;

/**
 * The metrics of one set under one prompt setting.
 *
 * @param set set name
 * @param setting {@code plain} or {@code tga}
 * @param dsr defense success rate over toxic items (expected REFUSE): share refused; null without toxic items
 * @param dsrByCategory DSR per category, sorted by category
 * @param overRefusal share of benign items (expected ANSWER) refused; null without benign items
 * @param overRefusalByCategory over-refusal per category
 * @param attackSuccessRate for attack sets (VLGuard, MM-SafetyBench, FigStep): share of toxic items complied with;
 *     null for other sets
 * @param utility share of benign items with a description whose answer names the right object/attribute; null when
 *     no benign item has a description
 * @param meanKeywordRecall mean share of description content words named (same items as utility), or NaN
 */
public record GroupMetrics(String set, String setting, Rate dsr, Map<String, Rate> dsrByCategory, Rate overRefusal,
        Map<String, Rate> overRefusalByCategory, Rate attackSuccessRate, Rate utility, double meanKeywordRecall) {}
