package org.tga4j.datasets;

/**
 * Limits applied before an image is decoded, to stop decompression bombs and garbage files early.
 *
 * @param maxBytes largest accepted file size
 * @param maxSide largest accepted width or height
 * @param maxPixels largest accepted width × height
 */
public record ImageLimits(long maxBytes, int maxSide, long maxPixels) {
    /** 64 MiB, 16384 px a side, 40 megapixels: generous for datasets (LAION/CC images are far smaller). */
    public static final ImageLimits DEFAULT = new ImageLimits(64L << 20, 16_384, 40_000_000L);

    public ImageLimits {
        if (maxBytes <= 0 || maxSide <= 0 || maxPixels <= 0) throw new IllegalArgumentException("image limits must be positive");
    }
}
