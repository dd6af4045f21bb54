package org.tga4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tga4j.retrieval.ProgressListener;

/** A byte-based progress bar (MB, speed, ETA) for streaming jobs. */
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
}
