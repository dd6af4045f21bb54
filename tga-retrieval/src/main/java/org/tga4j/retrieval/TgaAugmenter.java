package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonWriter;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.PathEscapeException;

/**
 * Writes TGA's two extra strings into LLaVA records: {@code image_caption} (the record's first gpt turn, or the
 * caption of its image from {@link ImageCaptions} — what instruction data needs) and {@code retrieved_caption} (the top-1 text a {@link Retriever} returns for that caption / image), with the
 * retriever, score, leak-guard rule and retrieved id in {@link LlavaRecord.RetrievalInfo} (written by
 * {@link LlavaJsonWriter} as {@code retriever}, {@code retrieval_score}, {@code retrieval_rule}, {@code retrieved_id}).
 */
public final class TgaAugmenter {

    /** What happened to one record. */
    public enum Status { AUGMENTED, TEXT_ONLY, NO_HIT, BAD }

    /** One record's result: the record to write (unchanged for TEXT_ONLY), and a message for BAD. */
    public record Outcome(LlavaRecord record, Status status, String problem) {}

    private static final int CHUNK = 2048;

    private final Retriever retriever;
    private final LeakGuard guard;
    private final ImageRoot imageRoot;
    private final ImageCaptions captions;

    /**
     * @param imageRoot root that record image paths resolve against, for image→text kNN (dense/hybrid with an
     *     image tower); {@code null} to query with the caption text only
     */
    public TgaAugmenter(Retriever retriever, LeakGuard guard, ImageRoot imageRoot) {
        this(retriever, guard, imageRoot, null);
    }

    /**
     * @param captions where each record's {@code image_caption} comes from; {@code null} = the record's first gpt turn
     *     (right for caption records such as LCS-558K's, wrong for instruction records); a record whose image has no
     *     caption there is a bad record
     */
    public TgaAugmenter(Retriever retriever, LeakGuard guard, ImageRoot imageRoot, ImageCaptions captions) {
        this.retriever = retriever;
        this.guard = guard;
        this.imageRoot = imageRoot;
        this.captions = captions;
    }

    /** Augments one record. Never throws for a bad record: returns {@link Status#BAD} with a message instead. */
    public Outcome augment(LlavaRecord r) {
        if (!r.hasImage()) return new Outcome(r, Status.TEXT_ONLY, null);
        String caption = captions == null ? r.firstAnswer() : captions.captionFor(r);
        if (caption == null || caption.isBlank()) {
            return bad(r, captions == null ? "has an image but no gpt turn to use as image_caption" : captions.missing(r));
        }
        Path image = null;
        if (imageRoot != null) {
            try {
                image = imageRoot.resolve(r.image());
            } catch (PathEscapeException | UncheckedIOException e) {
                return bad(r, e.getMessage());
            }
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
     * A bad record is reported to {@code bad} as {@code <stream>: record N} (N = its position in {@code in}) and
     * skipped, or stops the run when {@code bad} is failing.
     */
    public AugmentReport augmentAll(Iterator<LlavaRecord> in, RecordSink out, BatchRetriever pool, BadRecordReport bad)
            throws IOException {
        long[] position = {0};
        Iterator<LlavaFileRecords.Entry> numbered = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public LlavaFileRecords.Entry next() {
                return new LlavaFileRecords.Entry(in.next(), position[0]++);
            }
        };
        long before = bad.count();
        Counts c = augmentAll(numbered, out, pool, (index, problem) -> bad.report(null, index, -1, problem));
        return c.report(bad.count() - before);
    }

    /** Reports one bad record by its index. */
    private interface Reporter {
        void report(long index, String problem);
    }

    private static final class Counts {
        long total, augmented, textOnly, noHit;
        final Map<String, Long> rules = new TreeMap<>();

        AugmentReport report(long bad) {
            return new AugmentReport(total, augmented, textOnly, noHit, bad, Map.copyOf(rules));
        }
    }

    private Counts augmentAll(Iterator<LlavaFileRecords.Entry> in, RecordSink out, BatchRetriever pool, Reporter bad)
            throws IOException {
        Counts c = new Counts();
        List<LlavaFileRecords.Entry> chunk = new ArrayList<>(CHUNK);
        try {
            while (in.hasNext()) {
                chunk.clear();
                while (chunk.size() < CHUNK && in.hasNext()) chunk.add(in.next());
                c.total += chunk.size();
                List<Outcome> outcomes = pool.map(chunk.stream().map(LlavaFileRecords.Entry::record).toList(), this::augment);
                for (int i = 0; i < outcomes.size(); i++) {
                    Outcome o = outcomes.get(i);
                    switch (o.status()) {
                        case BAD -> {
                            bad.report(chunk.get(i).index(), o.problem());
                            continue;
                        }
                        case AUGMENTED -> {
                            c.augmented++;
                            c.rules.merge(o.record().retrieval().rule(), 1L, Long::sum);
                        }
                        case TEXT_ONLY -> c.textOnly++;
                        case NO_HIT -> c.noHit++;
                    }
                    out.write(o.record());
                }
            }
        } catch (UncheckedIOException e) {
            throw CaptionIndexWriter.unwrap(e);
        }
        return c;
    }

    /**
     * Streams the LLaVA JSON file {@code data} into {@code out} (augmented) through {@link LlavaJsonWriter}, so the
     * output appears atomically and only when complete: a failure (or a bad record under a failing report) leaves
     * an existing {@code out} untouched. Records whose image path escapes the image root are bad records.
     *
     * @param bad receives bad records as {@code data: record N (line L): problem} and skips them, or throws
     * @param progress bytes of {@code data} read
     */
    public AugmentReport augmentFile(Path data, Path out, int threads, BadRecordReport bad, ProgressListener progress)
            throws IOException {
        if (out.toAbsolutePath().normalize().equals(data.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --data (" + out + ")");
        }
        if (!Files.isRegularFile(data)) throw new IOException("no such LLaVA JSON file: " + data);
        long before = bad.count();
        long size = Files.size(data);
        try (LlavaFileRecords in = LlavaFileRecords.open(data, bad, imageRoot, 0, size, progress);
                LlavaJsonWriter w = new LlavaJsonWriter(out);
                BatchRetriever pool = new BatchRetriever(retriever, threads)) {
            Iterator<LlavaFileRecords.Entry> entries = new Iterator<>() {
                private LlavaFileRecords.Entry next;

                @Override
                public boolean hasNext() {
                    if (next == null) next = in.next();
                    return next != null;
                }

                @Override
                public LlavaFileRecords.Entry next() {
                    if (!hasNext()) throw new java.util.NoSuchElementException();
                    LlavaFileRecords.Entry e = next;
                    next = null;
                    return e;
                }
            };
            Counts c = augmentAll(entries, w::write, pool, in::report);
            w.commit();
            return c.report(bad.count() - before);
        }
    }
}
