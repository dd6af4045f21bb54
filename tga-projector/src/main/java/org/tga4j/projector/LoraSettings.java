package org.tga4j.projector;

import java.util.List;

/**
 * A LoRA adapter's shape for stage 2: {@code W x + (alpha / rank) B A dropout(x)} on every decoder projection whose
 * module name is one of {@code targets} (PEFT's matching: the module path equals the target or ends with
 * {@code "." + target}); {@code A} is initialised as PEFT does (Kaiming-uniform, bound {@code 1/sqrt(in)}) from
 * {@code seed} and the tensor's name, {@code B} as zeros, so an untrained adapter leaves the model unchanged.
 */
public record LoraSettings(int rank, double alpha, double dropout, List<String> targets, long seed) {
    public LoraSettings {
        if (rank < 1) throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target module");
        targets = List.copyOf(targets);
    }

    /** The factor of the adapter's term, {@code alpha / rank}. */
    public double scale() {
        return alpha / rank;
    }
}
