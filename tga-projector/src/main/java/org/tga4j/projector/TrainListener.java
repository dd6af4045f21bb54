package org.tga4j.projector;

import java.nio.file.Path;

/** Progress callbacks of a {@link Trainer} (the CLI draws its progress bar from these). */
public interface TrainListener {
    /** Before the first step: {@code startStep} is non-zero when resuming. */
    default void started(int startStep, int totalSteps, int examples, long skippedRecords) {}

    default void step(StepMetrics metrics) {}

    default void checkpoint(int step, Path dir) {}

    TrainListener NONE = new TrainListener() {};
}
