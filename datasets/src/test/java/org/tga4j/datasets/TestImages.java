package org.tga4j.datasets;

import java.io.IOException;
import java.nio.file.Path;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** Writes small real images for tests. */
final class TestImages {
    private TestImages() {}

    static Path write(Path file, int w, int h) throws IOException {
        Images.loadOpenCv();
        Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(10, 120, 240));
        try {
            Images.write(file, m);
        } finally {
            m.release();
        }
        return file;
    }
}
