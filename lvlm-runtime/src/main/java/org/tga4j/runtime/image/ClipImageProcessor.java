package org.tga4j.runtime.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Turns images into CLIP pixel values exactly as Hugging Face's {@code CLIPImageProcessor} (and LLaVA's
 * {@code process_images}) do, using OpenCV to decode:
 * <ol>
 *   <li>decode to RGB ({@code do_convert_rgb}; grey is expanded, alpha dropped, EXIF orientation ignored — as
 *       Pillow's {@code Image.open(f).convert("RGB")});</li>
 *   <li>optionally pad to a square with the mean colour ({@code int(mean × 255)} per channel), the image centred
 *       with its offset rounded down — LLaVA's {@code expand2square};</li>
 *   <li>resize so the shorter side is {@code shortest_edge}, the longer {@code int(shortest_edge × long / short)}
 *       (transformers' {@code get_resize_output_image_size}; skipped when the short side already matches), with
 *       bicubic resampling — by default {@link Resampler#PIL_BICUBIC}, a re-implementation of Pillow's that gives
 *       the same 8-bit result; {@link Resampler#OPENCV_CUBIC} is faster but differs (no antialiasing when
 *       downscaling, a = -0.75: typically a few grey levels, more on fine detail);</li>
 *   <li>centre crop at {@code top = (h - crop_h) / 2}, {@code left = (w - crop_w) / 2} (floor), zero-padding first
 *       when the image is smaller than the crop, as transformers' {@code center_crop};</li>
 *   <li>rescale ({@code float32(v × rescale_factor)}) and normalise ({@code (x - mean) / std} in float32).</li>
 * </ol>
 * Output: float32 CHW, RGB. Instances are immutable and thread-safe.
 */
public final class ClipImageProcessor {
    /** How the resize step resamples. */
    public enum Resampler {
        /** Pillow's bicubic (antialiased when downscaling), as CLIPImageProcessor uses: matches transformers. */
        PIL_BICUBIC,
        /**
         * OpenCV {@code INTER_CUBIC}: about 7× faster, but not antialiased and with a = -0.75, so it differs from
         * transformers. Measured against {@link #PIL_BICUBIC}: on smooth images (gradients, 0.6–4.3× down- or
         * upscaling to 64/336 px) at most 2 grey levels (0.03 after CLIP normalisation, mean 0.002); on
         * high-frequency texture it aliases, up to 92 grey levels (1.4 normalised, mean 0.4).
         */
        OPENCV_CUBIC
    }

    private final ImageProcessorConfig config;
    private final Resampler resampler;

    /** A processor with Pillow-exact resampling. */
    public ClipImageProcessor(ImageProcessorConfig config) {
        this(config, Resampler.PIL_BICUBIC);
    }

    public ClipImageProcessor(ImageProcessorConfig config, Resampler resampler) {
        this.config = Objects.requireNonNull(config, "config");
        this.resampler = Objects.requireNonNull(resampler, "resampler");
        OpenCv.ensureLoaded();
    }

    /** Reads {@code preprocessor_config.json} from a model directory. */
    public static ClipImageProcessor fromModelDir(Path modelDir) {
        return new ClipImageProcessor(ImageProcessorConfig.load(modelDir.resolve("preprocessor_config.json")));
    }

    public ImageProcessorConfig config() {
        return config;
    }

    public Resampler resampler() {
        return resampler;
    }

    /**
     * Decodes and preprocesses an image file.
     *
     * @return float32 pixel values, CHW, RGB
     * @throws ImageException naming the file when it is missing, empty, unreadable or not a decodable image
     */
    public float[] preprocess(Path image) {
        return process(decode(image));
    }

    /**
     * Preprocesses an OpenCV image in BGR order (8-bit, 1, 3 or 4 channels: grey, BGR or BGRA). Callers that build
     * Mats themselves must load OpenCV first ({@link OpenCv#ensureLoaded()}; constructing a processor does it).
     *
     * @return float32 pixel values, CHW, RGB
     */
    public float[] preprocess(Mat bgr) {
        return process(toRgb(bgr, "the given Mat"));
    }

    /** Height and width of {@link #preprocess} output for an image of the given size. */
    public int[] outputSize(int height, int width) {
        int h = height;
        int w = width;
        if (config.padToSquare()) {
            h = w = Math.max(h, w);
        }
        if (config.doResize()) {
            int[] r = resizedSize(h, w, config.shortestEdge());
            h = r[0];
            w = r[1];
        }
        if (config.doCenterCrop()) {
            h = config.cropHeight();
            w = config.cropWidth();
        }
        return new int[] {h, w};
    }

    /** Wraps CHW pixel values as a {@code [1, 3, H, W]} FLOAT32 array in {@code manager}. */
    public NDArray toNDArray(float[] chw, NDManager manager) {
        int[] hw = chwSize(chw.length);
        return manager.create(chw, new Shape(1, 3, hw[0], hw[1]));
    }

    /**
     * Preprocesses several files into one {@code [B, 3, H, W]} FLOAT32 array in {@code manager}. All images must
     * come out the same size (always true with centre cropping).
     */
    public NDArray preprocessBatch(List<Path> images, NDManager manager) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("preprocessBatch needs at least one image");
        }
        float[] first = null;
        int[] hw = null;
        ByteBuffer buf = null;
        for (int i = 0; i < images.size(); i++) {
            RgbImage rgb = decode(images.get(i));
            float[] px = process(rgb);
            if (first == null) {
                first = px;
                hw = outputSize(rgb, px.length);
                buf = ByteBuffer.allocateDirect(Math.multiplyExact(px.length * 4, images.size()))
                        .order(ByteOrder.nativeOrder());
            } else if (px.length != first.length) {
                throw new ImageException("image " + images.get(i) + " preprocesses to " + px.length
                        + " values but " + images.get(0) + " to " + first.length
                        + "; a batch needs one size (enable centre cropping)");
            }
            buf.asFloatBuffer().position(i * px.length).put(px);
        }
        return manager.create(buf, new Shape(images.size(), 3, hw[0], hw[1]), DataType.FLOAT32);
    }

    private int[] outputSize(RgbImage rgb, int values) {
        int[] hw = outputSize(rgb.height(), rgb.width());
        if (hw[0] * hw[1] * 3 != values) {
            throw new IllegalStateException("size bookkeeping mismatch");
        }
        return hw;
    }

    private int[] chwSize(int length) {
        if (config.doCenterCrop()) {
            if (length != 3 * config.cropHeight() * config.cropWidth()) {
                throw new IllegalArgumentException("expected " + 3 * config.cropHeight() * config.cropWidth()
                        + " CHW values (3×" + config.cropHeight() + "×" + config.cropWidth() + "), got " + length);
            }
            return new int[] {config.cropHeight(), config.cropWidth()};
        }
        int side = (int) Math.round(Math.sqrt(length / 3.0));
        if (3 * side * side != length) {
            throw new IllegalArgumentException("cannot infer H×W of " + length
                    + " CHW values without centre cropping unless square; use toNDArray(chw, h, w, manager)");
        }
        return new int[] {side, side};
    }

    /** Wraps CHW pixel values of a known size as {@code [1, 3, h, w]}. */
    public NDArray toNDArray(float[] chw, int height, int width, NDManager manager) {
        if (chw.length != 3 * height * width) {
            throw new IllegalArgumentException("expected 3×" + height + "×" + width + " values, got " + chw.length);
        }
        return manager.create(chw, new Shape(1, 3, height, width));
    }

    // ---------------------------------------------------------------- the steps

    private float[] process(RgbImage img) {
        if (config.padToSquare()) {
            img = padToSquare(img, config.imageMean());
        }
        if (config.doResize()) {
            int[] hw = resizedSize(img.height(), img.width(), config.shortestEdge());
            if (hw[0] != img.height() || hw[1] != img.width()) {
                img = resize(img, hw[0], hw[1]);
            }
        }
        if (config.doCenterCrop()) {
            img = centerCrop(img, config.cropHeight(), config.cropWidth());
        }
        return normalize(img);
    }

    /** transformers' get_resize_output_image_size with default_to_square=False: {height, width}. */
    static int[] resizedSize(int height, int width, int shortestEdge) {
        int shortSide = Math.min(height, width);
        int longSide = Math.max(height, width);
        if (shortSide == shortestEdge) {
            return new int[] {height, width};
        }
        int newLong = (int) ((double) shortestEdge * longSide / shortSide);
        return width <= height ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }

    /** LLaVA's expand2square with background {@code int(mean × 255)}. */
    static RgbImage padToSquare(RgbImage img, float[] mean) {
        int h = img.height();
        int w = img.width();
        if (h == w) {
            return img;
        }
        int side = Math.max(h, w);
        byte[] out = new byte[side * side * 3];
        byte[] bg = new byte[3];
        for (int c = 0; c < 3; c++) {
            bg[c] = (byte) (int) (mean[c] * 255.0);
        }
        for (int p = 0; p < side * side; p++) {
            System.arraycopy(bg, 0, out, p * 3, 3);
        }
        int top = (side - h) / 2;
        int left = (side - w) / 2;
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.data(), y * w * 3, out, ((top + y) * side + left) * 3, w * 3);
        }
        return new RgbImage(side, side, out);
    }

    /** transformers' center_crop: floor offsets; zero-pads (centred, ceil) when the image is smaller. */
    static RgbImage centerCrop(RgbImage img, int cropH, int cropW) {
        int h = img.height();
        int w = img.width();
        int top = Math.floorDiv(h - cropH, 2);
        int left = Math.floorDiv(w - cropW, 2);
        int padTop = 0;
        int padLeft = 0;
        if (top < 0 || left < 0) {
            int newH = Math.max(cropH, h);
            int newW = Math.max(cropW, w);
            padTop = (newH - h + 1) / 2; // ceil((newH - h) / 2)
            padLeft = (newW - w + 1) / 2;
            top += padTop;
            left += padLeft;
        }
        byte[] out = new byte[cropH * cropW * 3];
        for (int y = 0; y < cropH; y++) {
            int sy = top + y - padTop;
            if (sy < 0 || sy >= h) {
                continue;
            }
            for (int x = 0; x < cropW; x++) {
                int sx = left + x - padLeft;
                if (sx >= 0 && sx < w) {
                    System.arraycopy(img.data(), (sy * w + sx) * 3, out, (y * cropW + x) * 3, 3);
                }
            }
        }
        return new RgbImage(cropH, cropW, out);
    }

    private float[] normalize(RgbImage img) {
        int plane = img.height() * img.width();
        float[] out = new float[3 * plane];
        float[] mean = config.imageMean();
        float[] std = config.imageStd();
        byte[] d = img.data();
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                int v = d[p * 3 + c] & 0xFF;
                float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : v;
                out[c * plane + p] = config.doNormalize() ? (x - mean[c]) / std[c] : x;
            }
        }
        return out;
    }

    private RgbImage resize(RgbImage img, int h, int w) {
        if (resampler == Resampler.PIL_BICUBIC) {
            return PilBicubic.resize(img, h, w);
        }
        Mat src = new Mat(img.height(), img.width(), CvType.CV_8UC3);
        Mat dst = new Mat();
        try {
            src.put(0, 0, img.data());
            Imgproc.resize(src, dst, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
            byte[] out = new byte[h * w * 3];
            dst.get(0, 0, out);
            return new RgbImage(h, w, out);
        } finally {
            src.release();
            dst.release();
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Reads and decodes a file to RGB, with errors that name the file. */
    static RgbImage decode(Path file) {
        OpenCv.ensureLoaded();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageException("image file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ImageException("cannot read image file " + file + ": " + e, e);
        }
        if (bytes.length == 0) {
            throw new ImageException("image file " + file + " is empty (0 bytes); expected an encoded image "
                    + "(JPEG, PNG, BMP, WebP, ...)");
        }
        MatOfByte encoded = new MatOfByte(bytes);
        Mat bgr = null;
        try {
            bgr = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
            if (bgr == null || bgr.empty()) {
                throw new ImageException("image file " + file + " (" + bytes.length + " bytes) is corrupt or not an "
                        + "image OpenCV can decode; expected JPEG, PNG, BMP, WebP, TIFF, ...");
            }
            return toRgb(bgr, "image file " + file);
        } finally {
            encoded.release();
            if (bgr != null) {
                bgr.release();
            }
        }
    }

    private static RgbImage toRgb(Mat m, String what) {
        if (m == null || m.empty()) {
            throw new ImageException(what + " is empty; expected an 8-bit BGR image");
        }
        if (m.depth() != CvType.CV_8U) {
            throw new ImageException(what + " has OpenCV depth " + CvType.typeToString(m.type())
                    + "; expected 8-bit (CV_8UC1, CV_8UC3 or CV_8UC4)");
        }
        int code = switch (m.channels()) {
            case 1 -> Imgproc.COLOR_GRAY2RGB;
            case 3 -> Imgproc.COLOR_BGR2RGB;
            case 4 -> Imgproc.COLOR_BGRA2RGB;
            default -> throw new ImageException(what + " has " + m.channels()
                    + " channels; expected 1 (grey), 3 (BGR) or 4 (BGRA)");
        };
        Mat rgb = new Mat();
        try {
            Imgproc.cvtColor(m, rgb, code);
            byte[] data = new byte[(int) (rgb.total() * 3)];
            Mat cont = rgb.isContinuous() ? rgb : rgb.clone();
            cont.get(0, 0, data);
            if (cont != rgb) {
                cont.release();
            }
            return new RgbImage(rgb.rows(), rgb.cols(), data);
        } finally {
            rgb.release();
        }
    }
}
