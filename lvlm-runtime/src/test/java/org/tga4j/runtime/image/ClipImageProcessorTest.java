package org.tga4j.runtime.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipImageProcessorTest {
    @TempDir
    Path tmp;

    /** Normalised value of the pad colour int(mean·255) = (122, 116, 104), hand-computed in float32. */
    static final float[] PAD_NORMALISED = {-0.011254408f, -0.011195891f, -0.0013327866f};

    @BeforeAll
    static void opencv() {
        OpenCv.ensureLoaded();
    }

    /** A BGR Mat whose RGB pixels follow {@link PilBicubicTest#synth}. */
    static Mat synthMat(int h, int w) {
        RgbImage rgb = PilBicubicTest.synth(h, w);
        byte[] bgr = new byte[rgb.data().length];
        for (int p = 0; p < h * w; p++) {
            bgr[p * 3] = rgb.data()[p * 3 + 2];
            bgr[p * 3 + 1] = rgb.data()[p * 3 + 1];
            bgr[p * 3 + 2] = rgb.data()[p * 3];
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    /** A smooth non-square gradient written as PNG. */
    Path gradientPng(String name, int h, int w) {
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        byte[] d = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[(y * w + x) * 3] = (byte) (255 * x / (w - 1));     // B
                d[(y * w + x) * 3 + 1] = (byte) (255 * y / (h - 1)); // G
                d[(y * w + x) * 3 + 2] = (byte) (128 + 100 * Math.sin(x / 9.0) * Math.cos(y / 7.0)); // R
            }
        }
        m.put(0, 0, d);
        Path p = tmp.resolve(name);
        assertTrue(Imgcodecs.imwrite(p.toString(), m));
        m.release();
        return p;
    }

    static long crcLittleEndian(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : f) {
            b.putFloat(v);
        }
        CRC32 c = new CRC32();
        c.update(b.array());
        return c.getValue();
    }

    @Test
    void wholePipelineMatchesTransformersAndLlavaPad() {
        // Expected values from Pillow 9.4 + numpy running transformers' CLIPImageProcessor steps
        // (get_resize_output_image_size, BICUBIC resize, center_crop, float32 rescale/normalise) and
        // LLaVA's expand2square on the same 45x70 synthetic image, size 32.
        Mat m = synthMat(45, 70);
        float[] plain = new ClipImageProcessor(ImageProcessorConfig.clip(32)).preprocess(m);
        assertEquals(3 * 32 * 32, plain.length);
        assertEquals(0.6018794f, plain[0], 0f);
        assertEquals(0.75233066f, plain[2 * 1024 + 31 * 32 + 31], 0f);
        assertEquals(1.02434f, plain[1024 + 16 * 32 + 16], 1e-6f);
        assertEquals(2682899682L, crcLittleEndian(plain), "bit-exact with transformers");

        float[] padded = new ClipImageProcessor(ImageProcessorConfig.clip(32).withPadToSquare(true)).preprocess(m);
        assertEquals(-0.01125452f, padded[0], 1e-6f);
        assertEquals(0.67916137f, padded[1024 + 16 * 32 + 16], 1e-6f);
        assertEquals(980741921L, crcLittleEndian(padded), "bit-exact with LLaVA pad + transformers");
        m.release();
    }

    @Test
    void fileOfAnyAspectComesOutAtCropSize() {
        Path wide = gradientPng("wide.png", 48, 100);
        Path tall = gradientPng("tall.jpg", 120, 40);
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(64));
        assertEquals(3 * 64 * 64, p.preprocess(wide).length);
        assertEquals(3 * 64 * 64, p.preprocess(tall).length);
        assertArrayEquals(new int[] {64, 64}, p.outputSize(48, 100));
    }

    @Test
    void resizeOutputSizeFollowsTransformersTruncation() {
        assertArrayEquals(new int[] {32, 49}, ClipImageProcessor.resizedSize(45, 70, 32)); // 49.78 → 49
        assertArrayEquals(new int[] {49, 32}, ClipImageProcessor.resizedSize(70, 45, 32));
        assertArrayEquals(new int[] {336, 1132}, ClipImageProcessor.resizedSize(100, 337, 336));
        assertArrayEquals(new int[] {336, 500}, ClipImageProcessor.resizedSize(336, 500, 336)); // short side fits
        assertArrayEquals(new int[] {224, 224}, ClipImageProcessor.resizedSize(640, 640, 224));
    }

    @Test
    void padAreaHoldsTheMeanColourWhichNormalisesToAboutZero() {
        Mat white = new Mat(40, 100, CvType.CV_8UC3, new Scalar(255, 255, 255));
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(64).withPadToSquare(true));
        float[] out = p.preprocess(white);
        int plane = 64 * 64;
        // 100x100 square, 30 pad rows on top → ~19 rows at 64 px; rows 0..14 are pure pad
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 64; x++) {
                    assertEquals(PAD_NORMALISED[c], out[c * plane + y * 64 + x], 1e-6f, "c" + c + " y" + y);
                }
            }
            float whiteNorm = (1f - ImageProcessorConfig.CLIP_MEAN[c]) / ImageProcessorConfig.CLIP_STD[c];
            assertEquals(whiteNorm, out[c * plane + 32 * 64 + 32], 1e-5f, "image centre is white");
            assertEquals(PAD_NORMALISED[c], out[c * plane + 63 * 64 + 10], 1e-6f, "bottom pad");
        }
        white.release();
    }

    @Test
    void centerCropTakesTheMiddleWithFloorOffsets() {
        // R = 10·x, G = 10·y: each output pixel names its source coordinates
        int h = 10;
        int w = 13;
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m.put(y, x, 0, 10 * y, 10 * x); // B, G, R
            }
        }
        ImageProcessorConfig raw = new ImageProcessorConfig(4, 6, 0, false, true, false, 1, false,
                ImageProcessorConfig.CLIP_MEAN, ImageProcessorConfig.CLIP_STD, true, false);
        float[] out = new ClipImageProcessor(raw).preprocess(m);
        assertEquals(3 * 4 * 6, out.length);
        int plane = 24;
        // top = (10 - 4) / 2 = 3, left = (13 - 6) / 2 = 3
        assertEquals(30f, out[0]);             // R at (0,0) ← x = 3
        assertEquals(30f, out[plane]);         // G at (0,0) ← y = 3
        assertEquals(80f, out[5]);             // R at (0,5) ← x = 8
        assertEquals(60f, out[plane + 3 * 6]); // G at (3,0) ← y = 6
        assertEquals(0f, out[2 * plane + 7]);  // B is 0 everywhere
        m.release();
    }

    @Test
    void cropLargerThanTheImageZeroPadsCentred() {
        RgbImage small = PilBicubicTest.synth(5, 5);
        RgbImage out = ClipImageProcessor.centerCrop(small, 8, 8);
        // transformers: top_pad = ceil(3/2) = 2 → image rows/cols 2..6, zeros elsewhere
        for (int c = 0; c < 3; c++) {
            assertEquals(0, out.get(0, 0, c));
            assertEquals(0, out.get(1, 4, c));
            assertEquals(0, out.get(7, 7, c));
            assertEquals(small.get(0, 0, c), out.get(2, 2, c));
            assertEquals(small.get(4, 4, c), out.get(6, 6, c));
        }
    }

    @Test
    void channelsComeOutInRgbOrder() {
        Mat red = new Mat(20, 30, CvType.CV_8UC3, new Scalar(0, 0, 255)); // pure red in BGR
        float[] out = new ClipImageProcessor(ImageProcessorConfig.clip(16)).preprocess(red);
        int plane = 256;
        assertEquals((1f - 0.48145466f) / 0.26862954f, out[0], 1e-5f);   // R channel first: high
        assertEquals((0f - 0.4578275f) / 0.26130258f, out[plane], 1e-5f);
        assertEquals((0f - 0.40821073f) / 0.27577711f, out[2 * plane], 1e-5f);
        red.release();
    }

    @Test
    void normalisationArithmeticOnAConstantImage() {
        Mat grey = new Mat(16, 16, CvType.CV_8UC3, new Scalar(100, 100, 100));
        float[] out = new ClipImageProcessor(ImageProcessorConfig.clip(16)).preprocess(grey);
        // float32((100 · 1/255 − mean) / std), computed by hand (numpy float32)
        float[] want = {-0.33241987f, -0.25132027f, -0.058213156f};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                assertEquals(want[c], out[c * 256 + p], 0f);
            }
        }
        grey.release();
    }

    @Test
    void greyAndBgraMatsAreConvertedToRgb() {
        Mat grey = new Mat(16, 16, CvType.CV_8UC1, new Scalar(100));
        Mat bgra = new Mat(16, 16, CvType.CV_8UC4, new Scalar(100, 100, 100, 7));
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(16));
        assertArrayEquals(p.preprocess(grey), p.preprocess(bgra));
        assertEquals(-0.33241987f, p.preprocess(grey)[0], 0f);
        grey.release();
        bgra.release();
    }

    @Test
    void opencvResamplerIsCloseToPillowOnSmoothImages() {
        Path png = gradientPng("smooth.png", 240, 320);
        float[] pil = new ClipImageProcessor(ImageProcessorConfig.clip(64)).preprocess(png);
        float[] cv = new ClipImageProcessor(ImageProcessorConfig.clip(64), ClipImageProcessor.Resampler.OPENCV_CUBIC)
                .preprocess(png);
        float max = 0;
        for (int i = 0; i < pil.length; i++) {
            max = Math.max(max, Math.abs(pil[i] - cv[i]));
        }
        // one grey level is 1/255/std ≈ 0.015 normalised; on a smooth 3.75x downscale they differ by ≤ 2 levels
        assertTrue(max > 0, "the two resamplers are different algorithms");
        assertTrue(max < 0.045f, "max abs difference " + max);
    }

    @Test
    void batchStacksImagesAndAttachesToTheCallersManager() {
        Path a = gradientPng("a.png", 48, 100);
        Path b = gradientPng("b.png", 90, 50);
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = p.preprocessBatch(List.of(a, b), m);
            assertEquals(new Shape(2, 3, 32, 32), batch.getShape());
            assertSame(m, batch.getManager());
            assertArrayEquals(p.preprocess(a), batch.get(0).toFloatArray());
            assertArrayEquals(p.preprocess(b), batch.get(1).toFloatArray());
            NDArray one = p.toNDArray(p.preprocess(b), m);
            assertEquals(new Shape(1, 3, 32, 32), one.getShape());
            assertSame(m, one.getManager());
        }
    }

    // ---------------------------------------------------------------- bad input

    private static void assertMentions(Exception e, String... parts) {
        for (String s : parts) {
            assertTrue(e.getMessage().contains(s), "message should mention '" + s + "': " + e.getMessage());
        }
    }

    @Test
    void corruptFileNamesTheFile() throws IOException {
        byte[] junk = new byte[2048];
        new Random(1).nextBytes(junk);
        Path f = Files.write(tmp.resolve("photo.png"), junk);
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        assertMentions(assertThrows(ImageException.class, () -> p.preprocess(f)), f.toString(), "corrupt");
    }

    @Test
    void truncatedPngHeaderIsRejected() throws IOException {
        Path good = gradientPng("g.png", 30, 30);
        byte[] all = Files.readAllBytes(good);
        Path f = Files.write(tmp.resolve("cut.png"), java.util.Arrays.copyOf(all, 20));
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        assertMentions(assertThrows(ImageException.class, () -> p.preprocess(f)), f.toString());
    }

    @Test
    void zeroByteFileNamesTheFile() throws IOException {
        Path f = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        assertMentions(assertThrows(ImageException.class, () -> p.preprocess(f)), f.toString(), "0 bytes");
    }

    @Test
    void missingFileNamesTheFile() {
        Path f = tmp.resolve("nowhere.png");
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        assertMentions(assertThrows(ImageException.class, () -> p.preprocess(f)), f.toString(), "does not exist");
    }

    @Test
    void floatMatIsRejected() {
        Mat f = new Mat(8, 8, CvType.CV_32FC3);
        ClipImageProcessor p = new ClipImageProcessor(ImageProcessorConfig.clip(32));
        assertMentions(assertThrows(ImageException.class, () -> p.preprocess(f)), "8-bit");
        f.release();
    }
}
