package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tga4j.datasets.CaptionRecord;

/** Indexes caption files (JSONL {@code {"id","text"}} / {@code {"id","contents"}}, or LLaVA JSON) into a caption index. */
public final class CaptionFiles {
    private CaptionFiles() {}

    /**
     * Adds the captions of every file to the index at {@code indexDir} (created if needed), committing after each
     * file so an interruption keeps every completed file and never corrupts the index.
     *
     * @param embedder fills the vector field, or {@code null} for BM25 only
     * @param progress bytes consumed over all files
     */
    public static IndexReport index(
            List<Path> files, Path indexDir, IndexSettings settings, Embedder embedder, BadRecordPolicy policy,
            ProgressListener progress) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no caption files given");
        long totalBytes = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new IOException("no such caption file: " + f);
            totalBytes += Files.size(f);
        }
        long t0 = System.nanoTime();
        BadRecords bad = new BadRecords(policy);
        long added = 0;
        IndexMetadata meta = null;
        long before = 0;
        final long total = totalBytes;
        try (CaptionIndexWriter w = CaptionIndexWriter.open(indexDir, settings, embedder)) {
            for (Path f : files) {
                final long base = before;
                try (CorpusIO.RecordStream<CaptionRecord> in =
                        CorpusIO.readCaptions(f, bad, (done, t) -> progress.progress(base + done, total))) {
                    added += w.addAll(in);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                meta = w.commit();
                before += Files.size(f);
            }
        }
        return new IndexReport(added, bad.count(), bad.samples(), meta, (System.nanoTime() - t0) / 1e9);
    }
}
