package org.tga4j.retrieval;

/** What a long job does with a bad input record. */
public enum BadRecordPolicy {
    /** Report it (counted, first few messages kept), skip it, carry on. */
    SKIP,
    /** Stop the job with a {@link BadRecordException}. */
    FAIL
}
