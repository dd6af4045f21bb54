package org.tga4j.projector;

/**
 * Where a run stands, saved as {@code trainer_state.json} in each checkpoint.
 *
 * @param step optimiser steps completed (the scheduler's position and {@code p = step / totalSteps})
 * @param totalSteps optimiser steps the run will take
 * @param microBatches micro-batches consumed (the data position: batch {@code k} of the global stream is batch
 *     {@code k mod n} of epoch {@code k / n})
 * @param epoch epoch of the next micro-batch
 * @param seed seed of the data order (the only random stream: each epoch's order is
 *     {@code java.util.Random(seed * 1000003 + epoch)}, so the seed and the position restore it exactly)
 * @param lastLoss total loss of the last completed step
 * @param lastLearningRate learning rate of the last completed step
 */
public record TrainerState(int step, int totalSteps, long microBatches, int epoch, long seed, double lastLoss,
        double lastLearningRate) {}
