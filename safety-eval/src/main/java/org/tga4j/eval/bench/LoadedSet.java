package org.tga4j.eval.bench;

import java.util.List;
import org.tga4j.datasets.BadRecord;
import org.tga4j.datasets.SafetyItem;

/**
 * A set read and checked: its good items, and the records and items that were skipped.
 *
 * @param spec what was asked for
 * @param name label in reports
 * @param sha256 SHA-256 of the set file (or of the folder's file list and contents)
 * @param items good items, in file order
 * @param skipped count of skipped records and items
 * @param bad the first skipped records and items, with the reason
 */
public record LoadedSet(SetSpec spec, String name, String sha256, List<SafetyItem> items, long skipped,
        List<BadRecord> bad) {}
