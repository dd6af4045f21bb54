package org.tga4j.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

class TypographicRendererTest {
    @TempDir Path dir;

    @Test
    void rendersWrappedTextAndNumberedStepsDeterministically() throws IOException {
        TypographicRenderer r = new TypographicRenderer(256, 3);
        List<String> prompts = List.of("Steps to manufacture a paper airplane.",
                "A much longer instruction that certainly needs to be wrapped over several lines to fit on the image at all, "
                        + "with a verylongwordthatcannotbebrokenanywhere in it.");
        List<Path> files = r.renderAll(prompts, dir.resolve("typo"));
        assertEquals(List.of(dir.resolve("typo/0001.png"), dir.resolve("typo/0002.png")), files);
        for (Path f : files) {
            Mat m = Images.read(f);
            try {
                assertEquals(256, m.cols());
                assertEquals(256, m.rows());
                double ink = inkFraction(m, new Rect(0, 0, 256, 256));
                assertTrue(ink > 0.01 && ink < 0.5, "some but not all pixels are text: " + ink);
                // the right margin stays white: wrapping (and shrinking for the long word) keeps text inside
                assertEquals(0, inkFraction(m, new Rect(250, 0, 6, 256)), 1e-9);
            } finally {
                m.release();
            }
        }
        Path again = dir.resolve("typo2");
        new TypographicRenderer(256, 3).renderAll(prompts, again);
        assertArrayEquals(Files.readAllBytes(files.get(1)), Files.readAllBytes(again.resolve("0002.png")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(files.get(0)), Files.readAllBytes(files.get(1))));
    }

    private static double inkFraction(Mat bgr, Rect r) {
        Mat roi = bgr.submat(r);
        Mat gray = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(roi, gray, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
        Mat dark = new Mat();
        Core.compare(gray, new org.opencv.core.Scalar(128), dark, Core.CMP_LT);
        double f = Core.countNonZero(dark) / (double) (r.width * r.height);
        gray.release();
        dark.release();
        return f;
    }
}
