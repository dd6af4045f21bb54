package org.tga4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tga4j.datasets.BadRecord;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.retrieval.ProgressListener;

/** A byte-based progress bar (MB, speed, ETA) for streaming jobs, and the bad-record summary printed after one. */
final class ProgressBars {
    private ProgressBars() {}

    static ProgressBar bytes(String task, long total) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(1, total))
                .setUnit("MB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .build();
    }

    static ProgressListener listener(ProgressBar bar) {
        return (done, total) -> bar.stepTo(done);
    }

    /** How many bad records {@link #printBadRecords} lists after the summary. */
    static final int LISTED = 10;

    /** Prints the report's summary line and, when records were skipped, the first {@value #LISTED} of them. */
    static void printBadRecords(BadRecordReport bad) {
        System.out.println(bad.summary());
        if (bad.count() > 1) {
            for (BadRecord b : bad.records().stream().limit(LISTED).toList()) System.out.println("  " + b);
            if (bad.count() > LISTED) System.out.printf("  ... and %,d more%n", bad.count() - LISTED);
        }
    }
}
