package org.tga4j.cli.demo;

import java.io.PrintStream;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress display across the demo's stages: a single bar whose length is split between the stages by their
 * expected share of the run time, so the bar's ETA covers the whole demo; the current stage and its own counter are
 * shown beside it. Without a console ({@code bar = false}) each stage start and finish is printed as a line instead.
 */
final class DemoProgress implements AutoCloseable {
    private static final int SCALE = 10_000;

    /** A stage and its expected share of the run time. */
    record Stage(String name, double weight) {}

    private final List<Stage> stages;
    private final double totalWeight;
    private final ProgressBar bar;
    private final PrintStream log;
    private int current = -1;
    private double base;
    private long stageStart;
    private final long started = System.nanoTime();
    private String message = "";

    DemoProgress(List<Stage> stages, boolean showBar, PrintStream log) {
        this.stages = List.copyOf(stages);
        this.totalWeight = stages.stream().mapToDouble(Stage::weight).sum();
        this.log = log;
        this.bar = showBar ? new ProgressBarBuilder().setTaskName("demo").setInitialMax(SCALE)
                .setStyle(ProgressBarStyle.ASCII).hideEta().setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500).build() : null;
        if (bar != null) bar.setExtraMessage("starting");
    }

    /** Enters the named stage (stages are entered in order; skipped ones count as done). */
    synchronized void enter(String name) {
        finishCurrent();
        int i = indexOf(name);
        base = 0;
        for (int k = 0; k < i; k++) base += stages.get(k).weight();
        current = i;
        stageStart = System.nanoTime();
        message("[" + (i + 1) + "/" + stages.size() + "] " + name);
        if (bar == null) log.printf("[%d/%d] %s ...%n", i + 1, stages.size(), name);
        moveTo(0);
    }

    /** Progress inside the current stage. */
    synchronized void update(long done, long total, String detail) {
        if (current < 0) return;
        moveTo(total <= 0 ? 0 : Math.min(1.0, done / (double) total));
        if (detail != null) {
            message("[" + (current + 1) + "/" + stages.size() + "] " + stages.get(current).name() + " " + detail);
        }
    }

    /** A line of text printed above the bar. */
    synchronized void note(String line) {
        if (bar != null) {
            System.err.print("\r\033[K");
        }
        log.println(line);
    }

    private void finishCurrent() {
        if (current < 0) return;
        moveTo(1);
        double s = (System.nanoTime() - stageStart) / 1e9;
        String line = String.format("  done: %s (%.1f s)", stages.get(current).name(), s);
        if (bar == null) log.println(line);
    }

    private void moveTo(double fraction) {
        if (bar == null) return;
        double w = stages.get(current).weight();
        long pos = Math.round((base + fraction * w) / totalWeight * SCALE);
        long eta = eta(pos);
        bar.stepTo(pos);
        bar.setExtraMessage(extra(eta));
    }

    private void message(String m) {
        message = m;
        if (bar != null) bar.setExtraMessage(extra(eta(bar.getCurrent())));
    }

    private long eta(long pos) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        return pos <= 0 ? -1 : Math.round(elapsed * (SCALE - pos) / pos);
    }

    private String extra(long etaSeconds) {
        // The ETA first: a narrow terminal cuts the end of the line.
        return (etaSeconds < 0 ? "" : String.format("ETA %d:%02d  ", etaSeconds / 60, etaSeconds % 60)) + message;
    }

    private int indexOf(String name) {
        for (int i = 0; i < stages.size(); i++) if (stages.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("unknown demo stage " + name);
    }

    @Override
    public synchronized void close() {
        finishCurrent();
        current = -1;
        if (bar != null) {
            bar.stepTo(SCALE);
            bar.close();
        }
    }
}
