package org.tga4j.retrieval;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.LlavaRecord;

/**
 * Indexes caption files into a caption index. A file is read as LLaVA JSON ({@link org.tga4j.datasets.LlavaJsonReader};
 * the caption is the first gpt turn, {@link LlavaRecord#firstAnswer()}) when its first non-blank character is
 * {@code [}, and as a JSONL caption corpus ({@link CaptionCorpus}: {@code {"id","text"}} or Pyserini's
 * {@code {"id","contents"}}) when it is <code>{</code>.
 */
public final class CaptionFiles {
    /** Progress of a JSONL file is reported every this many records. */
    private static final int JSONL_PROGRESS_EVERY = 4096;

    private CaptionFiles() {}

    /**
     * Adds the captions of every file to the index at {@code indexDir} (created if needed), committing after each
     * file so an interruption keeps every completed file and never corrupts the index.
     *
     * @param embedder fills the vector field, or {@code null} for BM25 only
     * @param bad receives bad records (with file and record index / line) and skips them, or throws when it is
     *     {@link BadRecordReport#failing()}; in that case the index keeps its previous commit
     * @param progress input bytes consumed over all files (estimated from the record count for JSONL files)
     * @throws IOException when a file is missing or is neither JSONL nor a JSON array
     */
    public static IndexReport index(
            List<Path> files, Path indexDir, IndexSettings settings, Embedder embedder, BadRecordReport bad,
            ProgressListener progress) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no caption files given");
        long totalBytes = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new IOException("no such caption file: " + f);
            totalBytes += Files.size(f);
        }
        long t0 = System.nanoTime();
        long badBefore = bad.count();
        long added = 0;
        IndexMetadata meta = null;
        long before = 0;
        try (CaptionIndexWriter w = CaptionIndexWriter.open(indexDir, settings, embedder)) {
            for (Path f : files) {
                long size = Files.size(f);
                added += w.addAll(source(f, bad, before, totalBytes, progress));
                meta = w.commit();
                before += size;
                progress.progress(before, totalBytes);
            }
        }
        return new IndexReport(added, bad.count() - badBefore, meta, (System.nanoTime() - t0) / 1e9);
    }

    /** The captions of one file, by format. */
    static CaptionIndexWriter.CaptionSource source(Path file, BadRecordReport bad, long base, long total,
            ProgressListener progress) throws IOException {
        int first = firstNonBlank(file);
        if (first == '[') return sink -> llavaCaptions(file, bad, base, total, progress, sink);
        if (first == '{' || first == -1) return sink -> jsonlCaptions(file, bad, base, total, progress, sink);
        throw new IOException(file + ": not a caption file (expected JSONL objects or a LLaVA JSON array, first character '"
                + (char) first + "')");
    }

    private static void llavaCaptions(Path file, BadRecordReport bad, long base, long total, ProgressListener progress,
            Consumer<CaptionRecord> sink) throws IOException {
        try (LlavaFileRecords in = LlavaFileRecords.open(file, bad, null, base, total, progress)) {
            LlavaFileRecords.Entry e;
            while ((e = in.next()) != null) {
                LlavaRecord r = e.record();
                String caption = r.firstAnswer();
                if (caption == null || caption.isBlank()) {
                    in.report(e.index(), "record id=" + r.id() + " has no gpt turn to use as caption");
                } else {
                    sink.accept(new CaptionRecord(r.id(), caption));
                }
            }
        }
    }

    /**
     * JSONL captions through {@link CaptionCorpus#forEach}; progress is the share of non-blank lines read (counted
     * by a quick byte scan first) times the file size.
     */
    private static void jsonlCaptions(Path file, BadRecordReport bad, long base, long total, ProgressListener progress,
            Consumer<CaptionRecord> sink) throws IOException {
        long lines = Math.max(1, nonBlankLines(file));
        long size = Files.size(file);
        long badBefore = bad.count();
        long[] good = {0};
        CaptionCorpus.forEach(file, bad, r -> {
            sink.accept(r);
            if (++good[0] % JSONL_PROGRESS_EVERY == 0) {
                long done = Math.min(lines, good[0] + bad.count() - badBefore);
                progress.progress(base + (long) ((double) size * done / lines), total);
            }
        });
    }

    /** The first byte that is not blank (nor a UTF-8 byte-order mark), or -1 for an empty file. */
    static int firstNonBlank(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c;
        }
    }

    /** Lines holding something other than ASCII blanks: the record count of a JSONL file, bad records included. */
    static long nonBlankLines(Path file) throws IOException {
        long lines = 0;
        boolean content = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (content) lines++;
                        content = false;
                    } else if (b != ' ' && b != '\r' && b != '\t') {
                        content = true;
                    }
                }
            }
        }
        return content ? lines + 1 : lines;
    }
}
