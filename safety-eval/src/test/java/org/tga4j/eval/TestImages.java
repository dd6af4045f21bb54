package org.tga4j.eval;

import java.nio.file.Path;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Small real PNG files drawn with OpenCV. */
final class TestImages {
    private TestImages() {}

    static Path write(Path file, int size, int seed) {
        nu.pattern.OpenCV.loadLocally();
        Mat m = new Mat(size, size, CvType.CV_8UC3, new Scalar(40 * seed % 255, 120, 200));
        Imgproc.circle(m, new Point(size / 2.0, size / 2.0), size / (2 + seed), new Scalar(10, 200 - seed * 30, 30), -1);
        if (!Imgcodecs.imwrite(file.toString(), m)) throw new IllegalStateException("could not write " + file);
        return file;
    }
}
