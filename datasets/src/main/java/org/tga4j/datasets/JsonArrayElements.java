package org.tga4j.datasets;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Splits a top-level JSON array into the raw text of its elements, one at a time, without holding the file in
 * memory. Only brackets, braces, strings and escapes are tracked, so a syntactically broken element (which Jackson
 * then rejects) does not stop the reader: the next element starts after the next top-level comma. An element whose
 * brackets do not balance can swallow its neighbours up to the point where the nesting closes again; those are then
 * reported together as one bad record.
 */
final class JsonArrayElements implements Closeable {
    /** The raw text of one element, its 0-based index, and the 1-based line where it starts. */
    record Element(String text, long index, long line) {}

    private static final int MAX_ELEMENT_CHARS = 256 << 20;

    private final Reader in;
    private final Path file;
    private long line = 1;
    private long index;
    private int pushback = -2;
    private boolean finished;

    JsonArrayElements(Reader in, Path file) throws IOException {
        this.in = in;
        this.file = file;
        int c = nextNonSpace();
        if (c == 0xFEFF) c = nextNonSpace(); // byte-order mark
        if (c != '[') {
            throw DatasetFormatException.at(file, -1, line,
                    "expected a top-level JSON array ('[') but found " + (c < 0 ? "end of file" : "'" + (char) c + "'"));
        }
        int d = nextNonSpace();
        if (d == ']') finished = true;
        else pushback = d;
    }

    /** The next element, or {@code null} after the closing bracket. */
    Element next() throws IOException {
        if (finished) return null;
        int c = nextNonSpace();
        if (c < 0) throw DatasetFormatException.at(file, index, line, "file ends inside the top-level JSON array (truncated file?)");
        long startLine = line;
        StringBuilder sb = new StringBuilder(512);
        int depth = 0;
        boolean inString = false;
        while (true) {
            if (c < 0) {
                throw DatasetFormatException.at(file, index, startLine, "file ends inside this record (truncated file?)");
            }
            if (inString) {
                sb.append((char) c);
                if (c == '\\') {
                    int e = read();
                    if (e < 0) continue;
                    sb.append((char) e);
                } else if (c == '"') {
                    inString = false;
                }
            } else if (depth == 0 && (c == ',' || c == ']')) {
                if (c == ']') finished = true;
                break;
            } else {
                if (c == '"') inString = true;
                else if (c == '{' || c == '[') depth++;
                else if (c == '}' || c == ']') depth = Math.max(0, depth - 1);
                sb.append((char) c);
            }
            if (sb.length() > MAX_ELEMENT_CHARS) {
                throw DatasetFormatException.at(file, index, startLine, "record longer than " + MAX_ELEMENT_CHARS + " characters");
            }
            c = read();
        }
        if (finished) {
            int t = nextNonSpace();
            if (t >= 0) throw DatasetFormatException.at(file, index + 1, line, "unexpected content after the top-level array");
        }
        return new Element(sb.toString().strip(), index++, startLine);
    }

    private int read() throws IOException {
        int c;
        if (pushback != -2) {
            c = pushback;
            pushback = -2;
        } else {
            c = in.read();
        }
        if (c == '\n') line++;
        return c;
    }

    private int nextNonSpace() throws IOException {
        int c;
        do {
            c = read();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
        return c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
