package org.tga4j.projector.pretrain;

/** Progress callbacks of a {@link ClipPretrainer} (a CLI draws its progress bar from these). */
public interface ClipPretrainListener {
    /** Before the first step. */
    default void started(int totalSteps, int trainPairs, int valPairs, long skippedRecords) {}

    /** After each optimiser step ({@code step} counts from 1). */
    default void step(int step, int totalSteps, double loss) {}

    /** After a held-out measurement. */
    default void evaluated(int step, ClipRetrieval retrieval) {}

    ClipPretrainListener NONE = new ClipPretrainListener() {};
}
