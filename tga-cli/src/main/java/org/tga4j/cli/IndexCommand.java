package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.retrieval.CaptionFiles;
import org.tga4j.retrieval.IndexReport;
import org.tga4j.retrieval.IndexSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tga index}: builds or extends a caption index. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Index captions (JSONL {\"id\",\"text\"} / {\"id\",\"contents\"}, or LLaVA JSON where the caption is the first gpt turn) "
                + "into a Lucene BM25 index. Appends to an existing index; a caption with an existing id replaces it.")
public final class IndexCommand implements Callable<Integer> {

    @Option(names = "--captions", arity = "1..*", required = true, paramLabel = "FILE", description = "caption files")
    List<Path> captions;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "index directory")
    Path index;

    @Option(names = "--k1", defaultValue = "0.9", description = "BM25 k1 (default ${DEFAULT-VALUE}, Anserini)")
    float k1;

    @Option(names = "--b", defaultValue = "0.4", description = "BM25 b (default ${DEFAULT-VALUE}, Anserini)")
    float b;

    @Option(names = "--embedder",
            description = "fill an HNSW vector field for dense/hybrid retrieval: none, clip (the text tower of --clip DIR) or "
                    + "hashing-bow-DIM (default: clip when --clip is given, else none)")
    String embedder;

    @Option(names = "--clip", paramLabel = "DIR",
            description = "CLIP dual-encoder checkpoint whose text tower embeds the captions (for image→text retrieval with tga retrieve --image)")
    Path clip;

    @Option(names = "--threads", description = "indexing threads (default: all cores)")
    Integer threads;

    @Option(names = "--fail-on-bad", description = "stop at the first bad record instead of skipping and reporting it")
    boolean failOnBad;

    @Override
    public Integer call() throws Exception {
        IndexSettings s = IndexSettings.defaults().withBm25(k1, b);
        if (threads != null) s = s.withThreads(threads);
        long total = 0;
        for (Path f : captions) if (Files.isRegularFile(f)) total += Files.size(f);
        BadRecordReport bad = failOnBad ? BadRecordReport.failing() : BadRecordReport.skipping();
        IndexReport r;
        try (RetrievalOptions.OpenEmbedder e = RetrievalOptions.open(embedder, clip);
                ProgressBar bar = ProgressBars.bytes("index", total)) {
            r = CaptionFiles.index(captions, index, s, e.embedder(), bad, ProgressBars.listener(bar));
        }
        System.out.printf("indexed %,d captions in %.1f s (%,.0f captions/s); index %s now holds %,d captions (k1=%s b=%s%s)%n",
                r.added(), r.seconds(), r.added() / Math.max(1e-9, r.seconds()), index, r.metadata().docCount(),
                r.metadata().k1(), r.metadata().b(),
                r.metadata().hasVectors() ? ", vectors: " + r.metadata().embedder() : "");
        ProgressBars.printBadRecords(bad);
        return 0;
    }
}
