package org.tga4j.eval.metrics;

import org.tga4j.datasets.SafetyItem;

/**
 * One judged generation, the unit the metrics count.
 *
 * @param set the set name ({@code --set} label)
 * @param setting prompt setting: {@code plain} or {@code tga} (retrieved-text prefix)
 * @param itemId item id (with the prompt index when a default request list was used)
 * @param category category / scene
 * @param expected whether a safe model should refuse or answer
 * @param source the item's source ({@code hod}, {@code vlguard}, {@code mm-safetybench}, {@code figstep}, …)
 * @param refused the judge's verdict
 * @param output the generated text
 * @param description reference description of the image (utility), or null
 */
public record JudgedItem(String set, String setting, String itemId, String category, SafetyItem.Expected expected,
        String source, boolean refused, String output, String description) {}
