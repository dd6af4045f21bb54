package org.tga4j.eval.judge;

/**
 * Decides whether a generation is a refusal. Every number a report prints names the judge ({@link #name()}) and
 * its exact version ({@link #version()}: list version, threshold, endpoint model and prompt hash), so it can be
 * recomputed.
 */
public interface Judge {

    /** Short name, e.g. {@code vlguard}, {@code first-token}, {@code http}. */
    String name();

    /** A version id that changes whenever the judge could answer differently, e.g. {@code vlguard-2024.02}. */
    String version();

    /** The verdict on one generation. */
    Verdict judge(JudgeInput input);
}
