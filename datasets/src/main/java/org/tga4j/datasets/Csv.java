package org.tga4j.datasets;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 CSV reader: quoted fields, doubled quotes, commas and newlines inside quotes, CRLF or LF. */
final class Csv {
    private final Reader in;
    private int peek = -2;
    private long line = 1;

    Csv(Reader in) {
        this.in = in;
    }

    /** Line on which the next row starts. */
    long line() {
        return line;
    }

    /** The next row, or {@code null} at end of input. */
    List<String> next() throws IOException {
        int c = read();
        if (c < 0) return null;
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c < 0) throw new IOException("CSV ends inside a quoted field");
                if (c == '"') {
                    int d = read();
                    if (d == '"') f.append('"');
                    else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else f.append((char) c);
            } else if (c == '"' && f.isEmpty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r' || c < 0) {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') unread(d);
                }
                row.add(f.toString());
                return row;
            } else f.append((char) c);
            c = read();
        }
    }

    private int read() throws IOException {
        int c;
        if (peek != -2) {
            c = peek;
            peek = -2;
        } else c = in.read();
        if (c == '\n') line++;
        return c;
    }

    private void unread(int c) {
        if (c == '\n') line--;
        peek = c;
    }
}
