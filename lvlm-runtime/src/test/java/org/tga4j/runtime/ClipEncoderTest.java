package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ClipEncoderTest {
    @TempDir Path dir;

    @Test
    void embedsImagesAndTextsAsUnitVectorsIndependentOfBatchPadding() {
        nu.pattern.OpenCV.loadLocally();
        Path model = RandomModels.write(new RandomModels.Spec("clip", 2, 32, 2, 2, 0, 300, 9, 2, 32, 32, 8),
                dir.resolve("clip"));
        Path red = dir.resolve("red.png"), blue = dir.resolve("blue.png");
        Imgcodecs.imwrite(red.toString(), new Mat(32, 32, CvType.CV_8UC3, new Scalar(0, 0, 255)));
        Imgcodecs.imwrite(blue.toString(), new Mat(20, 48, CvType.CV_8UC3, new Scalar(255, 0, 0)));
        try (ClipEncoder clip = ClipEncoder.load(model)) {
            assertEquals(32, clip.dimension());
            float[][] texts = clip.embedTexts(List.of("a red ball", "a much longer caption about a blue car on the left"));
            float[][] alone = clip.embedTexts(List.of("a red ball"));
            // Right padding must not change a text's embedding.
            assertArrayEquals(alone[0], texts[0], 1e-5f);
            float[][] images = clip.embedImages(List.of(red, blue));
            for (float[] v : new float[][] {texts[0], texts[1], images[0], images[1]}) {
                double norm = 0;
                for (float x : v) norm += x * x;
                assertEquals(1.0, norm, 1e-4);
            }
            assertNotEquals(images[0][0], images[1][0]);
            int[] ids = clip.tokenize("a red ball");
            assertEquals(clip.config().textConfig().eosTokenId(), ids[ids.length - 1]);
        }
        Exception e = assertThrows(IllegalArgumentException.class, () -> ClipEncoder.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
