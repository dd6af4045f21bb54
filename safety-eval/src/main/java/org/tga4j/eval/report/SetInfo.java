package org.tga4j.eval.report;

import java.util.List;

/**
 * A set as the manifest records it.
 *
 * @param name label
 * @param kind reader kind
 * @param path set file or folder
 * @param imageRoot image root, or null
 * @param sha256 SHA-256 of the set file (or folder)
 * @param items good items used
 * @param skipped records and items skipped
 * @param bad the first skipped ones with their reason
 */
public record SetInfo(String name, String kind, String path, String imageRoot, String sha256, int items, long skipped,
        List<String> bad) {}
