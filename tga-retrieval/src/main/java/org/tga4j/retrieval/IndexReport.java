package org.tga4j.retrieval;

/**
 * Outcome of indexing caption files.
 *
 * @param added captions added (or replaced by id)
 * @param skipped bad records skipped (details in the {@link org.tga4j.datasets.BadRecordReport} the job was given)
 * @param metadata metadata of the final commit
 * @param seconds wall time
 */
public record IndexReport(long added, long skipped, IndexMetadata metadata, double seconds) {}
