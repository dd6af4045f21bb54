package org.tga4j.retrieval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;

/**
 * Streams the good records of one LLaVA JSON file through {@link LlavaJsonReader}, with the bytes read going to a
 * {@link ProgressListener} and each record numbered by its element index in the file, so that a record found bad
 * later (no caption, retrieval failure) is reported to the same {@link BadRecordReport} as {@code file: record N}.
 *
 * <p>The index is exact as long as nobody else reports to the same report while this file is being read.
 */
final class LlavaFileRecords implements AutoCloseable {
    /** A good record and its 0-based element index in the file. */
    record Entry(LlavaRecord record, long index) {}

    private final Path file;
    private final BadRecordReport report;
    private final LlavaJsonReader reader;
    private final long reportedBefore;
    private long ownReports;

    private LlavaFileRecords(Path file, BadRecordReport report, LlavaJsonReader reader) {
        this.file = file;
        this.report = report;
        this.reader = reader;
        this.reportedBefore = report.count();
    }

    /**
     * Opens {@code file}.
     *
     * @param imageRoot when non-null, records whose image path escapes it are reported by the reader and skipped
     * @param base bytes of earlier files on the same progress bar
     * @param total bytes of all files on the progress bar
     */
    static LlavaFileRecords open(Path file, BadRecordReport report, ImageRoot imageRoot, long base, long total,
            ProgressListener progress) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no such LLaVA JSON file: " + file);
        CountingInputStream bytes = new CountingInputStream(Files.newInputStream(file), base, total, progress);
        BufferedReader text = new BufferedReader(
                new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()), 1 << 16);
        return new LlavaFileRecords(file, report, new LlavaJsonReader(file, text, report, imageRoot));
    }

    Path file() {
        return file;
    }

    /** The next good record, or {@code null} at the end of the file. */
    Entry next() {
        if (!reader.hasNext()) return null;
        LlavaRecord r = reader.next();
        long readerBad = report.count() - reportedBefore - ownReports;
        return new Entry(r, reader.goodCount() - 1 + readerBad);
    }

    /** Reports the record at {@code index} of this file as bad (throws when the report is failing). */
    void report(long index, String problem) {
        ownReports++;
        report.report(file, index, -1, problem);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
