package org.tga4j.datasets.tinyworld;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.tga4j.datasets.Images;

/**
 * Renders a {@link Scene} to a small BGR image: a light background (random tint, gradient, optional horizon), each
 * object drawn by {@link ObjectPainter} at 4× resolution with random size, rotation, position jitter and colour
 * jitter, then area-downsampled to {@code size}×{@code size} and overlaid with Gaussian pixel noise. All randomness
 * comes from {@link Scene#renderSeed()}, so rendering is a pure function of the scene.
 */
public final class SceneRenderer {
    private static final int SUPERSAMPLE = 4;

    /** Where and how big an object was drawn, in output pixels. */
    public record Pose(double cx, double cy, double extent, double angle) {
        /** Axis-aligned box {@code [x0, y0, x1, y1]} around the drawn object, clipped to the image. */
        public int[] box(int size) {
            double h = extent / 2;
            return new int[] {clip(cx - h, size), clip(cy - h, size), clip(cx + h, size), clip(cy + h, size)};
        }

        private static int clip(double v, int size) {
            return (int) Math.max(0, Math.min(size, Math.round(v)));
        }
    }

    private final int size;

    public SceneRenderer(int size) {
        if (size < 16 || size > 1024) throw new IllegalArgumentException("TinyWorld image size must be 16..1024 px, got " + size);
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The poses of the scene's objects (same order as {@link Scene#objects()}), in output pixels. */
    public List<Pose> poses(Scene scene) {
        Random rnd = new Random(scene.renderSeed());
        List<Pose> poses = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            poses.add(pose(o, rnd));
            rnd.nextLong(); // the object's colour / detail seed, consumed in render()
        }
        return poses;
    }

    private Pose pose(SceneObject o, Random rnd) {
        boolean center = o.position() == Position.CENTER;
        double cell = center ? size : size / 2.0;
        double extent = cell * (center ? 0.62 + 0.22 * rnd.nextDouble() : 0.8 + 0.15 * rnd.nextDouble());
        double slack = Math.max(0, (cell - extent) / 2);
        double cx = o.position().fx * size + (rnd.nextDouble() * 2 - 1) * slack;
        double cy = o.position().fy * size + (rnd.nextDouble() * 2 - 1) * slack;
        double angle = (rnd.nextDouble() * 2 - 1) * o.cls().maxRotation;
        return new Pose(cx, cy, extent, angle);
    }

    /** Renders the scene; the caller releases the returned {@link Mat}. */
    public Mat render(Scene scene) {
        Images.loadOpenCv();
        Random rnd = new Random(scene.renderSeed());
        List<Pose> poses = new ArrayList<>();
        List<Long> detailSeeds = new ArrayList<>();
        for (SceneObject o : scene.objects()) {
            poses.add(pose(o, rnd));
            detailSeeds.add(rnd.nextLong());
        }
        Random bgRnd = new Random(rnd.nextLong());
        int big = size * SUPERSAMPLE;
        Mat canvas = background(big, bgRnd);
        for (int i = 0; i < poses.size(); i++) {
            SceneObject o = scene.objects().get(i);
            Pose ps = poses.get(i);
            Random dr = new Random(detailSeeds.get(i));
            Scalar col = jitter(o.colour(), dr);
            long paintSeed = dr.nextLong();
            Pen pen = new Pen(canvas, ps.cx * SUPERSAMPLE, ps.cy * SUPERSAMPLE, ps.extent * SUPERSAMPLE / 2, ps.angle,
                    0.8 * SUPERSAMPLE);
            pen.outlineMode(true);
            ObjectPainter.draw(o.cls(), pen, col, new Random(paintSeed));
            pen.outlineMode(false);
            ObjectPainter.draw(o.cls(), pen, col, new Random(paintSeed));
        }
        Mat out = new Mat();
        Imgproc.resize(canvas, out, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
        canvas.release();
        addNoise(out, bgRnd, 2 + 5 * bgRnd.nextDouble());
        return out;
    }

    private static Scalar jitter(Colour c, Random rnd) {
        int j = (c == Colour.WHITE || c == Colour.BLACK) ? 10 : 22;
        return new Scalar(clamp(c.b + rnd.nextInt(2 * j + 1) - j), clamp(c.g + rnd.nextInt(2 * j + 1) - j),
                clamp(c.r + rnd.nextInt(2 * j + 1) - j));
    }

    private static Mat background(int n, Random rnd) {
        double[] a = lightTint(rnd), b = lightTint(rnd), ground = lightTint(rnd);
        double dirAngle = rnd.nextDouble() * 2 * Math.PI, dx = Math.cos(dirAngle), dy = Math.sin(dirAngle);
        boolean horizon = rnd.nextDouble() < 0.35;
        double horizonY = n * (0.55 + 0.25 * rnd.nextDouble());
        byte[] px = new byte[n * n * 3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double t = 0.5 + 0.5 * ((x / (double) n - 0.5) * dx + (y / (double) n - 0.5) * dy) * 1.4;
                t = Math.max(0, Math.min(1, t));
                int o = (y * n + x) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    double v = a[ch] * (1 - t) + b[ch] * t;
                    if (horizon && y > horizonY) v = 0.5 * v + 0.5 * ground[ch];
                    px[o + ch] = (byte) clamp((int) Math.round(v));
                }
            }
        }
        Mat m = new Mat(n, n, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    private static double[] lightTint(Random rnd) {
        double base = 185 + 55 * rnd.nextDouble();
        return new double[] {base + 30 * (rnd.nextDouble() - 0.5), base + 30 * (rnd.nextDouble() - 0.5),
            base + 30 * (rnd.nextDouble() - 0.5)};
    }

    private static void addNoise(Mat img, Random rnd, double sigma) {
        byte[] px = new byte[(int) (img.total() * img.channels())];
        img.get(0, 0, px);
        for (int i = 0; i < px.length; i++) px[i] = (byte) clamp((px[i] & 0xff) + (int) Math.round(rnd.nextGaussian() * sigma));
        img.put(0, 0, px);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
