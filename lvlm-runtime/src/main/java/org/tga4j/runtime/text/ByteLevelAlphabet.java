package org.tga4j.runtime.text;

import java.nio.charset.StandardCharsets;

/**
 * The GPT-2 byte-to-unicode table used by byte-level BPE: every byte 0..255 maps to one printable code point
 * (printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards, so a space becomes
 * {@code Ġ} and a newline {@code Ċ}). Byte-level tokens are strings over this 256-symbol alphabet.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + next++);
        }
    }

    private ByteLevelAlphabet() {}

    /** The symbol for one byte (0..255). */
    static char symbol(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The UTF-8 bytes of {@code text} rewritten as byte-level symbols. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }
}
