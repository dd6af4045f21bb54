package org.tga4j.datasets;

import java.nio.file.Path;

/**
 * Format and dimensions read from an image's header bytes, without decoding pixels. Used to reject decompression
 * bombs (a tiny file that declares a gigantic raster) before OpenCV allocates anything.
 *
 * @param format {@code png}, {@code jpeg} or {@code bmp}
 * @param width declared width in pixels
 * @param height declared height in pixels
 */
public record ImageHeader(String format, int width, int height) {

    /** The formats tga4j accepts (all decoded by OpenCV's bundled codecs). */
    public static final java.util.List<String> SUPPORTED = java.util.List.of("png", "jpeg", "bmp");

    /**
     * Parses the header of an encoded image.
     *
     * @throws ImageValidationException for an unsupported format or a header that cannot be parsed
     */
    public static ImageHeader parse(Path file, byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return png(file, b);
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) return jpeg(file, b);
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') return bmp(file, b);
        throw new ImageValidationException(file, "unsupported or unrecognised image format (magic bytes " + magic(b)
                + "); supported: " + SUPPORTED);
    }

    private static ImageHeader png(Path file, byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new ImageValidationException(file, "corrupt PNG: missing IHDR chunk");
        }
        return new ImageHeader("png", be32(b, 16), be32(b, 20));
    }

    private static ImageHeader jpeg(Path file, byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                i++;
                continue;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) break; // end of image / start of scan before any frame header
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 9 > b.length) break;
                int h = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int w = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return new ImageHeader("jpeg", w, h);
            }
            if (len < 2) break;
            i += 2 + len;
        }
        throw new ImageValidationException(file, "corrupt JPEG: no frame header (SOFn) found");
    }

    private static ImageHeader bmp(Path file, byte[] b) {
        if (b.length < 26) throw new ImageValidationException(file, "corrupt BMP: header truncated");
        int w = le32(b, 18);
        int h = le32(b, 22);
        return new ImageHeader("bmp", w, h == Integer.MIN_VALUE ? h : Math.abs(h));
    }

    private static int be32(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8) | ((b[o + 2] & 0xff) << 16) | ((b[o + 3] & 0xff) << 24);
    }

    private static String magic(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) sb.append(String.format("%02x", b[i] & 0xff));
        return sb.isEmpty() ? "<none>" : sb.toString();
    }
}
