package org.tga4j.retrieval;

import java.util.ArrayList;
import java.util.List;

/** Collects bad-record reports of one job: a count and the first few messages; throws under {@link BadRecordPolicy#FAIL}. */
final class BadRecords {
    static final int KEEP = 20;

    private final BadRecordPolicy policy;
    private final List<String> samples = new ArrayList<>();
    private long count;

    BadRecords(BadRecordPolicy policy) {
        this.policy = policy;
    }

    synchronized void report(String message) {
        if (policy == BadRecordPolicy.FAIL) throw new BadRecordException(message);
        count++;
        if (samples.size() < KEEP) samples.add(message);
    }

    synchronized long count() {
        return count;
    }

    synchronized List<String> samples() {
        return List.copyOf(samples);
    }
}
