package org.tga4j.runtime.image;

/**
 * An 8-bit RGB image in row-major HWC order: pixel (y, x) channel c is {@code data[(y * width + x) * 3 + c]}.
 * The preprocessing steps work on this so each one is plain, testable arithmetic.
 */
record RgbImage(int height, int width, byte[] data) {
    RgbImage {
        if (height <= 0 || width <= 0 || data.length != height * width * 3) {
            throw new IllegalArgumentException("bad RGB image " + height + "x" + width + " with " + data.length
                    + " bytes");
        }
    }

    int get(int y, int x, int c) {
        return data[(y * width + x) * 3 + c] & 0xFF;
    }
}
