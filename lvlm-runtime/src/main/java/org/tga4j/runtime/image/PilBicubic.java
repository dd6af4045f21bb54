package org.tga4j.runtime.image;

/**
 * Bicubic resampling that reproduces Pillow's {@code Image.resize(size, Image.BICUBIC)} on 8-bit images, which is
 * what transformers' CLIPImageProcessor calls. Pillow's algorithm (libImaging/Resample.c), re-derived here:
 * <ul>
 *   <li>the cubic kernel uses a = -0.5 (OpenCV's INTER_CUBIC uses -0.75);</li>
 *   <li>when downscaling, the kernel is stretched by the scale factor (support 2·scale), i.e. it antialiases —
 *       OpenCV's INTER_CUBIC always samples 4×4 source pixels and aliases;</li>
 *   <li>weights per output pixel are normalised to sum 1, converted to fixed point with 22 fraction bits
 *       (rounded half away from zero), and sums are rounded and clamped to 0..255;</li>
 *   <li>a horizontal pass runs first, its 8-bit result feeds the vertical pass; a pass is skipped when that side
 *       keeps its size.</li>
 * </ul>
 */
final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilBicubic() {
    }

    /** Kernel weights of one resampling direction: output i reads {@code count[i]} inputs from {@code first[i]}. */
    private record Coefficients(int kernelSize, int[] first, int[] count, int[] weights) {
    }

    static double cubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * kernelSize];
        double[] k = new double[kernelSize];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = cubic((x + xmin - center + 0.5) * ss);
                sum += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0 ? k[x] / sum : k[x];
                weights[i * kernelSize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                        : 0.5 + w * (1 << PRECISION_BITS));
            }
            first[i] = xmin;
            count[i] = xmax;
        }
        return new Coefficients(kernelSize, first, count, weights);
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Resizes to {@code outHeight × outWidth}. */
    static RgbImage resize(RgbImage in, int outHeight, int outWidth) {
        RgbImage img = in;
        if (outWidth != img.width()) {
            img = horizontal(img, outWidth);
        }
        if (outHeight != img.height()) {
            img = vertical(img, outHeight);
        }
        return img;
    }

    private static RgbImage horizontal(RgbImage in, int outWidth) {
        Coefficients c = coefficients(in.width(), outWidth);
        int h = in.height();
        int inRow = in.width() * 3;
        byte[] src = in.data();
        byte[] out = new byte[h * outWidth * 3];
        for (int y = 0; y < h; y++) {
            int rowBase = y * inRow;
            for (int xx = 0; xx < outWidth; xx++) {
                int k0 = xx * c.kernelSize();
                int xmin = c.first()[xx];
                int n = c.count()[xx];
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int x = 0; x < n; x++) {
                    int w = c.weights()[k0 + x];
                    int p = rowBase + (xmin + x) * 3;
                    r += (src[p] & 0xFF) * w;
                    g += (src[p + 1] & 0xFF) * w;
                    b += (src[p + 2] & 0xFF) * w;
                }
                int o = (y * outWidth + xx) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(h, outWidth, out);
    }

    private static RgbImage vertical(RgbImage in, int outHeight) {
        Coefficients c = coefficients(in.height(), outHeight);
        int w = in.width();
        int row = w * 3;
        byte[] src = in.data();
        byte[] out = new byte[outHeight * row];
        int[] acc = new int[row];
        for (int yy = 0; yy < outHeight; yy++) {
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int k0 = yy * c.kernelSize();
            int ymin = c.first()[yy];
            int n = c.count()[yy];
            for (int y = 0; y < n; y++) {
                int wt = c.weights()[k0 + y];
                int base = (ymin + y) * row;
                for (int i = 0; i < row; i++) {
                    acc[i] += (src[base + i] & 0xFF) * wt;
                }
            }
            int o = yy * row;
            for (int i = 0; i < row; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
        return new RgbImage(outHeight, w, out);
    }
}
