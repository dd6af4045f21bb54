package org.tga4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Image I/O through OpenCV with validation. {@link #read} checks, in order: the file exists and is readable, is not
 * empty, is not larger than {@link ImageLimits#maxBytes()}, is a supported format (by magic bytes, not extension),
 * declares sane dimensions in its header (checked before decoding, so a decompression bomb is never decoded), and
 * decodes. Any failure is an {@link ImageValidationException} naming the file. Images come back as 8-bit BGR with
 * the EXIF orientation tag ignored (pixels as stored, as PIL's {@code Image.open} returns them to LLaVA).
 */
public final class Images {
    private static volatile boolean loaded;

    private Images() {}

    /** Loads the OpenCV native library bundled in {@code org.openpnp:opencv} (once per JVM). */
    public static void loadOpenCv() {
        if (loaded) return;
        synchronized (Images.class) {
            if (!loaded) {
                nu.pattern.OpenCV.loadLocally();
                loaded = true;
            }
        }
    }

    /** Reads and validates the header only (no pixel decode). */
    public static ImageHeader probe(Path file, ImageLimits limits) {
        return check(file, readBytes(file, limits), limits);
    }

    /** Reads an image as 8-bit BGR with {@link ImageLimits#DEFAULT}. */
    public static Mat read(Path file) {
        return read(file, ImageLimits.DEFAULT);
    }

    /**
     * Reads an image as an 8-bit, 3-channel BGR {@link Mat} (the caller closes it with {@code release()}).
     *
     * @throws ImageValidationException naming the file, for every kind of bad image
     */
    public static Mat read(Path file, ImageLimits limits) {
        loadOpenCv();
        byte[] bytes = readBytes(file, limits);
        ImageHeader h = check(file, bytes, limits);
        MatOfByte buf = new MatOfByte(bytes);
        Mat img;
        try {
            // like PIL (which LLaVA's loaders use), ignore the EXIF orientation tag: pixels as stored
            img = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
        } finally {
            buf.release();
        }
        if (img == null || img.empty()) {
            throw new ImageValidationException(file, "corrupt " + h.format() + ": OpenCV could not decode it");
        }
        if (img.cols() != h.width() || img.rows() != h.height()) {
            int w = img.cols(), r = img.rows();
            img.release();
            throw new ImageValidationException(file, "corrupt " + h.format() + ": header says " + h.width() + "x"
                    + h.height() + " but decoded " + w + "x" + r);
        }
        return img;
    }

    /** Writes a {@link Mat} as PNG or JPEG (by extension), atomically. */
    public static void write(Path file, Mat img) throws IOException {
        loadOpenCv();
        if (img.empty()) throw new IllegalArgumentException("refusing to write an empty image to " + file);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String ext = name.endsWith(".png") ? ".png" : (name.endsWith(".jpg") || name.endsWith(".jpeg")) ? ".jpg" : null;
        if (ext == null) throw new IllegalArgumentException("unsupported image extension (use .png or .jpg): " + file);
        MatOfByte out = new MatOfByte();
        MatOfInt params = ext.equals(".png")
                ? new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 6)
                : new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        try {
            if (!Imgcodecs.imencode(ext, img, out, params)) throw new IOException("OpenCV could not encode " + file);
            AtomicFiles.write(file, out.toArray());
        } finally {
            out.release();
            params.release();
        }
    }

    private static byte[] readBytes(Path file, ImageLimits limits) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ImageValidationException(file, Files.exists(file) ? "not a regular file" : "no such image file");
            }
            long size = Files.size(file);
            if (size == 0) throw new ImageValidationException(file, "zero-size image file");
            if (size > limits.maxBytes()) {
                throw new ImageValidationException(file, "image file is " + size + " bytes, over the limit of " + limits.maxBytes());
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageValidationException(file, "no such image file", e);
        } catch (IOException e) {
            throw new ImageValidationException(file, "unreadable image file: " + e.getMessage(), e);
        }
    }

    private static ImageHeader check(Path file, byte[] bytes, ImageLimits limits) {
        ImageHeader h = ImageHeader.parse(file, bytes);
        if (h.width() <= 0 || h.height() <= 0) {
            throw new ImageValidationException(file, h.format() + " header declares invalid dimensions " + h.width() + "x" + h.height());
        }
        long pixels = (long) h.width() * h.height();
        if (h.width() > limits.maxSide() || h.height() > limits.maxSide() || pixels > limits.maxPixels()) {
            throw new ImageValidationException(file, h.format() + " header declares " + h.width() + "x" + h.height()
                    + " (" + pixels + " pixels), over the limit of " + limits.maxSide() + " px a side / "
                    + limits.maxPixels() + " pixels: refusing to decode a possible decompression bomb");
        }
        return h;
    }
}
