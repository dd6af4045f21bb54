package org.tga4j.projector;

/**
 * Linear warm-up then cosine decay (HF's {@code get_cosine_schedule_with_warmup}):
 * {@code lr(s) = peak * s / warmup} for {@code s < warmup}, then
 * {@code min + (peak - min) * 0.5 * (1 + cos(pi * (s - warmup) / (total - warmup)))}.
 */
public record CosineSchedule(double peak, double min, int warmupSteps, int totalSteps) {
    public CosineSchedule {
        if (totalSteps < 1) throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
    }

    public static CosineSchedule of(double peak, double min, double warmupRatio, int totalSteps) {
        return new CosineSchedule(peak, min, (int) Math.ceil(warmupRatio * totalSteps), totalSteps);
    }

    /** Learning rate of optimiser step {@code step} (0-based). */
    public double at(int step) {
        if (step < warmupSteps) return peak * (step + 1) / (double) warmupSteps;
        double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
