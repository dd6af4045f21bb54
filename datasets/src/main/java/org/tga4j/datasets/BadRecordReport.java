package org.tga4j.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Collects bad records seen by the readers: each one is reported (to an optional listener) and skipped, and the count
 * is available at the end. With {@code failOnBadRecord} the first bad record throws a {@link DatasetFormatException}
 * instead. Only the first {@value #KEEP} bad records are kept in memory; the count covers all of them.
 * Thread-safe.
 */
public final class BadRecordReport {
    /** How many bad records are kept for {@link #records()}. */
    public static final int KEEP = 100;

    private final boolean failOnBadRecord;
    private final Consumer<BadRecord> listener;
    private final List<BadRecord> kept = new ArrayList<>();
    private long count;

    public BadRecordReport(boolean failOnBadRecord, Consumer<BadRecord> listener) {
        this.failOnBadRecord = failOnBadRecord;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Skip-and-count, silently. */
    public static BadRecordReport skipping() {
        return new BadRecordReport(false, r -> {});
    }

    /** Skip-and-count, printing each bad record to standard error. */
    public static BadRecordReport logging() {
        return new BadRecordReport(false, r -> System.err.println("skipped bad record: " + r));
    }

    /** Throw on the first bad record. */
    public static BadRecordReport failing() {
        return new BadRecordReport(true, r -> {});
    }

    public boolean failOnBadRecord() {
        return failOnBadRecord;
    }

    /**
     * Reports a bad record: throws when failing, otherwise records it and returns.
     *
     * @throws DatasetFormatException when this report was created with {@code failOnBadRecord}
     */
    public void report(Path file, long index, long line, String problem) {
        BadRecord r = new BadRecord(file, index, line, problem);
        if (failOnBadRecord) throw new DatasetFormatException(r.toString());
        synchronized (this) {
            count++;
            if (kept.size() < KEEP) kept.add(r);
        }
        listener.accept(r);
    }

    /** Number of bad records reported (and skipped) so far. */
    public synchronized long count() {
        return count;
    }

    /** The first {@value #KEEP} bad records. */
    public synchronized List<BadRecord> records() {
        return List.copyOf(kept);
    }

    /** One line for the end of a job, e.g. {@code 3 bad records skipped (first: ...)}. */
    public synchronized String summary() {
        if (count == 0) return "0 bad records";
        return count + " bad record" + (count == 1 ? "" : "s") + " skipped (first: " + kept.get(0) + ")";
    }
}
