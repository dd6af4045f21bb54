package org.tga4j.retrieval;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tga4j.datasets.LlavaRecord;

/**
 * Writes TGA's two extra strings into LLaVA records: {@code image_caption} (the record's first gpt turn) and
 * {@code retrieved_caption} (the top-1 text a {@link Retriever} returns for that caption / image), with the
 * retriever, score, leak-guard rule and retrieved id in {@link LlavaRecord.RetrievalInfo}.
 */
public final class TgaAugmenter {

    /** What happened to one record. */
    public enum Status { AUGMENTED, TEXT_ONLY, NO_HIT, BAD }

    /** One record's result: the record to write (unchanged for TEXT_ONLY), and a message for BAD. */
    public record Outcome(LlavaRecord record, Status status, String problem) {}

    private final Retriever retriever;
    private final LeakGuard guard;
    private final Path imageRoot;

    /**
     * @param imageRoot root that record image paths resolve against, for image→text kNN (dense/hybrid with an
     *     image tower); {@code null} to query with the caption text only
     */
    public TgaAugmenter(Retriever retriever, LeakGuard guard, Path imageRoot) {
        this.retriever = retriever;
        this.guard = guard;
        this.imageRoot = imageRoot == null ? null : imageRoot.toAbsolutePath().normalize();
    }

    /** Augments one record. Never throws for a bad record: returns {@link Status#BAD} with a message instead. */
    public Outcome augment(LlavaRecord r) {
        if (!r.hasImage()) return new Outcome(r, Status.TEXT_ONLY, null);
        String caption = r.firstAnswer();
        if (caption == null || caption.isBlank()) {
            return bad(r, "has an image but no gpt turn to use as image_caption");
        }
        Path image = null;
        if (imageRoot != null) {
            image = imageRoot.resolve(r.image()).normalize();
            if (!image.startsWith(imageRoot)) return bad(r, "image path '" + r.image() + "' escapes the image root " + imageRoot);
        }
        RetrievalQuery q = new RetrievalQuery(caption, image, guard == LeakGuard.EXCLUDE_SELF ? r.id() : null);
        List<Hit> hits;
        try {
            hits = retriever.retrieve(q, 1);
        } catch (IOException | RuntimeException e) {
            return bad(r, "retrieval failed: " + e.getMessage());
        }
        if (hits.isEmpty()) return new Outcome(r.withTga(caption, null, null), Status.NO_HIT, null);
        Hit top = hits.get(0);
        String text = top.text();
        String rule = guard.label();
        if (guard == LeakGuard.FIRST_HALF) {
            boolean self = top.id().equals(r.id()) || top.text().equals(caption);
            if (self) text = LeakGuard.firstHalf(top.text());
            else rule = LeakGuard.NONE.label();
        }
        LlavaRecord.RetrievalInfo info = new LlavaRecord.RetrievalInfo(top.retriever(), top.score(), rule, top.id());
        return new Outcome(r.withTga(caption, text, info), Status.AUGMENTED, null);
    }

    private static Outcome bad(LlavaRecord r, String why) {
        return new Outcome(r, Status.BAD, "record id=" + r.id() + ": " + why);
    }

    /** Receives augmented records in input order. */
    @FunctionalInterface
    public interface RecordSink {
        void write(LlavaRecord r) throws IOException;
    }

    /**
     * Augments a stream of records on the pool's threads, in chunks, writing results to {@code out} in input order.
     * Bad records are reported and skipped (or fail the run under {@link BadRecordPolicy#FAIL}).
     */
    public AugmentReport augmentAll(Iterator<LlavaRecord> in, RecordSink out, BatchRetriever pool, BadRecordPolicy policy)
            throws IOException {
        return augmentAll(in, out, pool, new BadRecords(policy));
    }

    private AugmentReport augmentAll(Iterator<LlavaRecord> in, RecordSink out, BatchRetriever pool, BadRecords bad)
            throws IOException {
        long total = 0, augmented = 0, textOnly = 0, noHit = 0;
        Map<String, Long> rules = new TreeMap<>();
        List<LlavaRecord> chunk = new ArrayList<>(2048);
        try {
            while (in.hasNext()) {
                chunk.clear();
                while (chunk.size() < 2048 && in.hasNext()) chunk.add(in.next());
                total += chunk.size();
                for (Outcome o : pool.map(chunk, this::augment)) {
                    switch (o.status()) {
                        case BAD -> {
                            bad.report(o.problem() + "; skipped");
                            continue;
                        }
                        case AUGMENTED -> {
                            augmented++;
                            rules.merge(o.record().retrieval().rule(), 1L, Long::sum);
                        }
                        case TEXT_ONLY -> textOnly++;
                        case NO_HIT -> noHit++;
                    }
                    out.write(o.record());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new AugmentReport(total, augmented, textOnly, noHit, bad.count(), rules, bad.samples());
    }

    /**
     * Streams the LLaVA JSON file {@code data} into {@code out} (augmented), atomically: the output is written to a
     * temporary file next to {@code out} and moved into place only when complete.
     */
    public AugmentReport augmentFile(Path data, Path out, int threads, BadRecordPolicy policy, ProgressListener progress)
            throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(data.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --data (" + out + ")");
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        BadRecords bad = new BadRecords(policy);
        boolean ok = false;
        try {
            AugmentReport report;
            try (CorpusIO.RecordStream<LlavaRecord> in = CorpusIO.readLlava(data, bad, progress);
                    OutputStream os = Files.newOutputStream(tmp);
                    CorpusIO.LlavaWriter w = new CorpusIO.LlavaWriter(new java.io.BufferedOutputStream(os, 1 << 16));
                    BatchRetriever pool = new BatchRetriever(retriever, threads)) {
                report = augmentAll(in, w::write, pool, bad);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            ok = true;
            return report;
        } finally {
            if (!ok) Files.deleteIfExists(tmp);
        }
    }
}
