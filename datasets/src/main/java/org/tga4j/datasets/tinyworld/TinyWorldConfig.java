package org.tga4j.datasets.tinyworld;

/**
 * What to generate.
 *
 * @param seed master seed: same seed and config give byte-identical files
 * @param images number of images (scenes)
 * @param size image side in pixels
 * @param trainFraction expected share of the training split (of compositions; of images for one-object scenes)
 * @param valFraction expected share in the validation split (the rest is test)
 * @param threads rendering threads (the output does not depend on it)
 */
public record TinyWorldConfig(long seed, int images, int size, double trainFraction, double valFraction, int threads) {
    public static final int DEFAULT_IMAGES = 4200;
    public static final int DEFAULT_SIZE = 64;

    public TinyWorldConfig {
        if (images < 1 || images > 10_000_000) throw new IllegalArgumentException("images must be 1..10,000,000, got " + images);
        if (size < 16 || size > 1024) throw new IllegalArgumentException("size must be 16..1024 px, got " + size);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
    }

    /** 80/10/10 splits, all cores. */
    public static TinyWorldConfig of(long seed, int images, int size) {
        return new TinyWorldConfig(seed, images, size, 0.8, 0.1, Runtime.getRuntime().availableProcessors());
    }
}
