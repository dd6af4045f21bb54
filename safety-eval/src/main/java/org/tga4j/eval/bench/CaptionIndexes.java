package org.tga4j.eval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.retrieval.CaptionIndexWriter;
import org.tga4j.retrieval.Embedder;
import org.tga4j.retrieval.IndexSettings;
import org.tga4j.runtime.ModelWriter;

/** Builds the dense caption index the TGA prefix is retrieved from, when the caller has none yet. */
public final class CaptionIndexes {
    private CaptionIndexes() {}

    /**
     * Indexes every caption of a corpus ({@code {"id","text"}} JSONL) with the embedder's text tower into a new
     * folder next to {@code indexDir}, then moves it into place; an existing {@code indexDir} is an error.
     *
     * @return the number of captions indexed
     */
    public static long build(Path corpus, Path indexDir, Embedder embedder, BadRecordReport report) throws IOException {
        if (Files.exists(indexDir)) throw new IllegalArgumentException(indexDir + " exists; not overwriting an index");
        return ModelWriter.buildDirectory(indexDir, tmp -> {
            try (CaptionIndexWriter w = CaptionIndexWriter.open(tmp, IndexSettings.defaults(), embedder)) {
                long[] count = {0};
                CaptionCorpus.forEach(corpus, report, c -> {
                    try {
                        w.add(c);
                        count[0]++;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                w.commit();
                return count[0];
            }
        });
    }
}
