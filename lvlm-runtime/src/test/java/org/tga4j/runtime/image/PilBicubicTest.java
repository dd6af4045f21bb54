package org.tga4j.runtime.image;

import org.junit.jupiter.api.Test;

import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Against Pillow 9.4's {@code Image.resize(..., Image.BICUBIC)}: the expected CRC32s and pixels were produced once
 * with Pillow on the same synthetic image (see {@link #synth}) and are pinned here; the Java side never calls Python.
 */
class PilBicubicTest {
    /** Pixel (y, x, c) = ((x·37 + y·91 + c·53 + (x·y mod 17)) · (c + 1)) mod 256 — a busy, aliasing-prone pattern. */
    static RgbImage synth(int h, int w) {
        byte[] d = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    d[(y * w + x) * 3 + c] = (byte) (((x * 37 + y * 91 + c * 53 + (x * y) % 17) * (c + 1)) & 255);
                }
            }
        }
        return new RgbImage(h, w, d);
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static void assertPillow(int h, int w, int oh, int ow, long crc, int[] first, int[] mid, int[] last) {
        RgbImage out = PilBicubic.resize(synth(h, w), oh, ow);
        assertEquals(oh, out.height());
        assertEquals(ow, out.width());
        assertArrayEquals(first, px(out, 0, 0), "pixel (0,0)");
        assertArrayEquals(mid, px(out, oh / 2, ow / 2), "centre pixel");
        assertArrayEquals(last, px(out, oh - 1, ow - 1), "last pixel");
        assertEquals(crc, crc(out.data()), "CRC32 of all " + out.data().length + " bytes");
    }

    private static int[] px(RgbImage im, int y, int x) {
        return new int[] {im.get(y, x, 0), im.get(y, x, 1), im.get(y, x, 2)};
    }

    @Test
    void downscaleBothSidesAntialiasesLikePillow() {
        assertPillow(37, 50, 17, 23, 434981427L, new int[] {88, 126, 116}, new int[] {114, 134, 141},
                new int[] {145, 149, 126});
    }

    @Test
    void strongDownscaleLikePillow() {
        assertPillow(61, 97, 13, 7, 2045552095L, new int[] {126, 127, 127}, new int[] {133, 123, 123},
                new int[] {130, 128, 134});
    }

    @Test
    void upscaleLikePillow() {
        assertPillow(37, 50, 59, 80, 820965873L, new int[] {0, 106, 53}, new int[] {40, 110, 109},
                new int[] {247, 50, 0});
        assertPillow(300, 200, 336, 224, 1571019391L, new int[] {0, 106, 59}, new int[] {203, 4, 161},
                new int[] {3, 131, 103});
    }

    @Test
    void singleAxisResizesLikePillow() {
        assertPillow(37, 50, 37, 20, 1850635070L, new int[] {30, 169, 96}, new int[] {58, 119, 155},
                new int[] {207, 170, 73});
        assertPillow(37, 50, 90, 50, 636196945L, new int[] {0, 113, 60}, new int[] {15, 112, 104},
                new int[] {247, 62, 0});
    }

    @Test
    void constantImageStaysConstant() {
        byte[] d = new byte[40 * 30 * 3];
        java.util.Arrays.fill(d, (byte) 122);
        RgbImage out = PilBicubic.resize(new RgbImage(40, 30, d), 17, 64);
        for (byte b : out.data()) {
            assertEquals(122, b & 0xFF);
        }
    }
}
