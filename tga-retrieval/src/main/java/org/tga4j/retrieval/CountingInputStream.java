package org.tga4j.retrieval;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and reports them to a {@link ProgressListener} (at most once per MiB, and at the
 * end of the stream), offset by {@code base} so that several files can share one progress bar of {@code total} bytes.
 */
final class CountingInputStream extends FilterInputStream {
    private static final long STEP = 1 << 20;

    private final long base;
    private final long total;
    private final ProgressListener progress;
    private long done;
    private long lastReported;

    CountingInputStream(InputStream in, long base, long total, ProgressListener progress) {
        super(in);
        this.base = base;
        this.total = total;
        this.progress = progress;
    }

    /** Bytes read so far. */
    long bytesRead() {
        return done;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) count(1);
        else finished();
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) count(n);
        else if (n < 0) finished();
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        if (s > 0) count(s);
        return s;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would make the count wrong
    }

    private void count(long n) {
        done += n;
        if (done - lastReported >= STEP) report();
    }

    private void finished() {
        if (done != lastReported) report();
    }

    private void report() {
        lastReported = done;
        progress.progress(base + done, total);
    }
}
