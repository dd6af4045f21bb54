package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.retrieval.AugmentReport;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.ImageCaptions;
import org.tga4j.retrieval.LeakGuard;
import org.tga4j.retrieval.ReciprocalRankFusion;
import org.tga4j.retrieval.TgaAugmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tga augment}: writes image_caption / retrieved_caption into LLaVA records. */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Write TGA's image_caption (the first gpt turn, or the image's caption from --captions) and retrieved_caption (top-1 retrieved text, with retriever, "
                + "score, leak-guard rule and source id) into every image record of a LLaVA JSON file. Streaming; the output "
                + "appears atomically when complete.")
public final class AugmentCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "caption index")
    Path index;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "LLaVA JSON input")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "augmented LLaVA JSON output")
    Path out;

    @Option(names = "--captions", paramLabel = "FILE", split = ",",
            description = "caption files (JSONL id/text or LLaVA JSON) that give each record's image_caption by record id or image"
                    + " file name; needed for instruction data (mix-665K style), whose first answer is not a caption."
                    + " Default: the record's first gpt turn")
    List<Path> captions;

    @Option(names = "--retriever", defaultValue = "bm25", description = "bm25, dense or hybrid (default ${DEFAULT-VALUE})")
    String retriever;

    @Option(names = "--leak-guard", defaultValue = "exclude-self",
            description = "exclude-self (drop the record's own caption by id), first-half (reference rule) or none (default ${DEFAULT-VALUE})")
    String leakGuard;

    @Option(names = "--embedder", description = "embedder for dense/hybrid (default: the one recorded in the index)")
    String embedder;

    @Option(names = "--clip", paramLabel = "DIR", description = "the CLIP checkpoint the index's vectors come from (dense/hybrid over a CLIP index)")
    Path clip;

    @Option(names = "--image-root", paramLabel = "DIR", description = "image root, for image→text kNN with an embedder that has an image tower")
    Path imageRoot;

    @Option(names = "--rrf-k", defaultValue = "" + ReciprocalRankFusion.DEFAULT_K, description = "RRF constant (default ${DEFAULT-VALUE})")
    int rrfK;

    @Option(names = "--threads", description = "retrieval threads (default: all cores)")
    Integer threads;

    @Option(names = "--fail-on-bad", description = "stop at the first bad record instead of skipping and reporting it")
    boolean failOnBad;

    @Override
    public Integer call() throws Exception {
        LeakGuard guard = LeakGuard.parse(leakGuard);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        BadRecordReport bad = failOnBad ? BadRecordReport.failing() : BadRecordReport.skipping();
        AugmentReport r;
        try (CaptionIndex idx = CaptionIndex.open(index);
                RetrievalOptions.OpenEmbedder e = RetrievalOptions.forQuerying(idx, embedder, clip);
                ProgressBar bar = ProgressBars.bytes("augment", Files.isRegularFile(data) ? Files.size(data) : 1)) {
            TgaAugmenter aug = new TgaAugmenter(RetrievalOptions.retriever(idx, retriever, e.embedder(), rrfK), guard,
                    imageRoot == null ? null : new ImageRoot(imageRoot),
                    captions == null || captions.isEmpty() ? null : ImageCaptions.read(captions, bad));
            r = aug.augmentFile(data, out, n, bad, ProgressBars.listener(bar));
        }
        System.out.printf("%,d records: %,d augmented, %,d text-only (unchanged), %,d without a hit, %,d bad (skipped) → %s%n",
                r.total(), r.augmented(), r.textOnly(), r.noHit(), r.bad(), out);
        System.out.println("leak-guard rules applied: " + r.rules());
        ProgressBars.printBadRecords(bad);
        return 0;
    }
}
