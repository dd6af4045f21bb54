package org.tga4j.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

class ImagesTest {
    @TempDir Path dir;

    @Test
    void pngAndJpegRoundTripWithHeaderDimensions() throws IOException {
        for (String name : new String[] {"a.png", "b.jpg"}) {
            Path f = TestImages.write(dir.resolve(name), 37, 21);
            ImageHeader h = Images.probe(f, ImageLimits.DEFAULT);
            assertEquals(37, h.width());
            assertEquals(21, h.height());
            assertEquals(name.endsWith("png") ? "png" : "jpeg", h.format());
            Mat m = Images.read(f);
            try {
                assertEquals(37, m.cols());
                assertEquals(21, m.rows());
                assertEquals(3, m.channels());
                double[] px = m.get(10, 10);
                assertEquals(240, px[2], 6);
            } finally {
                m.release();
            }
        }
    }

    @Test
    void zeroSizeMissingAndDirectoryAreRejectedNamingTheFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        assertMessage(empty, "zero-size");
        assertMessage(dir.resolve("missing.png"), "no such image file");
        assertMessage(Files.createDirectory(dir.resolve("d.png")), "not a regular file");
    }

    @Test
    void corruptAndUnsupportedFilesAreRejected() throws IOException {
        Path gif = Files.write(dir.resolve("x.gif"), "GIF89a\u0001\u0000\u0001\u0000".getBytes());
        assertMessage(gif, "unsupported or unrecognised image format");
        Path text = Files.writeString(dir.resolve("notes.jpg"), "hello, I am not a JPEG");
        assertMessage(text, "unsupported or unrecognised image format");

        byte[] png = Files.readAllBytes(TestImages.write(dir.resolve("ok.png"), 40, 40));
        Path truncated = Files.write(dir.resolve("trunc.png"), Arrays.copyOf(png, 40));
        assertMessage(truncated, "corrupt png");
        Path noIhdr = Files.write(dir.resolve("noihdr.png"), Arrays.copyOf(png, 12));
        assertMessage(noIhdr, "IHDR");

        byte[] jpg = Files.readAllBytes(TestImages.write(dir.resolve("ok.jpg"), 40, 40));
        Path badJpg = Files.write(dir.resolve("garbage.jpg"), Arrays.copyOf(jpg, 3));
        assertMessage(badJpg, "corrupt JPEG");
    }

    @Test
    void decompressionBombsAreRejectedBeforeDecoding() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), pngHeader(100_000, 100_000));
        ImageValidationException e = assertMessage(bomb, "decompression bomb");
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertEquals(bomb, e.file());
        Path zero = Files.write(dir.resolve("zero.png"), pngHeader(0, 10));
        assertMessage(zero, "invalid dimensions");
        // a real image over a strict pixel limit
        Path big = TestImages.write(dir.resolve("big.png"), 200, 200);
        ImageLimits strict = new ImageLimits(1 << 20, 1000, 10_000);
        assertThrows(ImageValidationException.class, () -> Images.read(big, strict));
        ImageLimits tinyBytes = new ImageLimits(10, 1000, 1_000_000);
        ImageValidationException e2 = assertThrows(ImageValidationException.class, () -> Images.read(big, tinyBytes));
        assertTrue(e2.getMessage().contains("over the limit"), e2.getMessage());
    }

    @Test
    void writeIsAtomicAndRejectsUnknownExtensions() throws IOException {
        Images.loadOpenCv();
        Mat m = Images.read(TestImages.write(dir.resolve("a.png"), 8, 8));
        try {
            assertThrows(IllegalArgumentException.class, () -> Images.write(dir.resolve("a.tiff"), m));
            assertFalse(Files.exists(dir.resolve("a.tiff")));
        } finally {
            m.release();
        }
    }

    private ImageValidationException assertMessage(Path f, String part) {
        ImageValidationException e = assertThrows(ImageValidationException.class, () -> Images.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(part.toLowerCase()), e.getMessage());
        return e;
    }

    /** PNG signature + an IHDR chunk declaring the given size (and nothing else). */
    static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer b = ByteBuffer.allocate(25);
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        out.writeBytes(b.array());
        return out.toByteArray();
    }
}
