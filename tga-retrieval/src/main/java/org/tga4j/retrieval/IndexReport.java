package org.tga4j.retrieval;

import java.util.List;

/**
 * Outcome of indexing caption files.
 *
 * @param added captions added (or replaced by id)
 * @param skipped bad records skipped
 * @param problems the first bad-record messages
 * @param metadata metadata of the final commit
 * @param seconds wall time
 */
public record IndexReport(long added, long skipped, List<String> problems, IndexMetadata metadata, double seconds) {}
