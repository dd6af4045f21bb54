package org.tga4j.eval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.tga4j.eval.ClipEmbedder;
import org.tga4j.eval.Hashing;
import org.tga4j.eval.Tga4jVersion;
import org.tga4j.eval.judge.Judge;
import org.tga4j.eval.judge.Judges;
import org.tga4j.eval.metrics.SafetyMetrics;
import org.tga4j.eval.report.JudgeResult;
import org.tga4j.eval.report.Report;
import org.tga4j.eval.report.ReproManifest;
import org.tga4j.eval.report.SetInfo;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.model.WeightPrecision;

/**
 * {@code tga eval} as a library call: read and check the sets, generate (resumably) with and without the TGA prefix,
 * judge with every requested judge, compute the metrics and write {@code generations.jsonl},
 * {@code verdicts-{judge}.jsonl}, {@code report.json} and {@code report.html}.
 */
public final class SafetyBenchmark {
    private SafetyBenchmark() {}

    /**
     * Everything {@code tga eval} takes.
     *
     * @param modelDir model checkpoint
     * @param sets {@code --set} specs
     * @param allowedCategories categories to accept (empty: any)
     * @param failOnBad fail on the first bad record instead of skipping it
     * @param prompts default request list (empty: {@link EvalConfig#DEFAULT_PROMPTS})
     * @param setPrompts per-set request lists by set name ({@link SetSpec#name()})
     * @param decoding pinned decoding
     * @param batchSize generation batch size
     * @param plain run the plain setting
     * @param tga run the TGA setting (needs {@code retrievalIndex} and {@code clipDir})
     * @param retrievalIndex caption index for the TGA prefix, or null
     * @param clipDir CLIP checkpoint whose {@link ClipEmbedder} built the index's vectors, or null
     * @param captions caption corpus to build {@code retrievalIndex} from (with the CLIP text tower) when the index
     *     does not exist yet, or null
     * @param judges judge names
     * @param judgeOptions judge settings
     * @param resamples bootstrap resamples
     * @param seed bootstrap seed
     * @param out output folder
     * @param generations generations file (null: {@code out/generations.jsonl})
     * @param label report label (null: the model folder name)
     * @param command the command line, for the manifest
     * @param firstTokenMass store the first-token refusal mass with every generation (read from the generation's own
     *     prompt pass; needed by the first-token judge, now or when re-judging)
     * @param textTemplate the text setting's prompt ({@code {description}}, {@code {request}}), or null for no text
     *     setting
     * @param precision how the model's projection weights are held
     */
    public record Options(Path modelDir, List<SetSpec> sets, Set<String> allowedCategories, boolean failOnBad,
            List<String> prompts, java.util.Map<String, List<String>> setPrompts, Decoding decoding, int batchSize, boolean plain, boolean tga, Path retrievalIndex,
            Path clipDir, Path captions, List<String> judges, Judges.Options judgeOptions, int resamples, long seed, Path out,
            Path generations, String label, String command, boolean firstTokenMass, String textTemplate,
            WeightPrecision precision) {}

    /** Runs it; {@code log} gets one line per step, {@code progress} the finished count after each batch. */
    public static Report run(Options o, Consumer<String> log, IntConsumer progress) {
        List<LoadedSet> sets = new ArrayList<>();
        for (SetSpec s : o.sets()) {
            LoadedSet l = SafetySets.load(s, o.allowedCategories(), o.failOnBad());
            log.accept("set " + l.name() + ": " + l.items().size() + " items" + (l.skipped() > 0
                    ? ", " + l.skipped() + " skipped (first: " + l.bad().get(0).problem() + ")" : ""));
            sets.add(l);
        }
        List<Judge> judges = o.judges().stream().map(n -> Judges.create(n, o.judgeOptions())).toList();
        List<String> prompts = o.prompts().isEmpty() ? EvalConfig.DEFAULT_PROMPTS : o.prompts();
        EvalConfig config = new EvalConfig(sets, prompts, o.setPrompts(), o.decoding(), o.batchSize(), o.plain(), o.tga(),
                o.judgeOptions().refusalWords(), o.firstTokenMass(), o.textTemplate());
        Path genFile = o.generations() != null ? o.generations() : o.out().resolve("generations.jsonl");
        String modelSha = Hashing.modelWeights(o.modelDir());
        ClipEmbedder embedder = null;
        CaptionIndex index = null;
        try (Lvlm lvlm = Lvlm.load(o.modelDir(), null, o.precision())) {
            PrefixRetrieval retrieval = null;
            if (o.tga()) {
                if (o.retrievalIndex() == null || o.clipDir() == null) {
                    throw new IllegalArgumentException("the tga setting needs --retrieval-index and --clip (image→text "
                            + "dense retrieval over a caption index built with the same CLIP); use --no-tga to skip it");
                }
                embedder = ClipEmbedder.load(o.clipDir());
                if (o.captions() != null && !java.nio.file.Files.exists(o.retrievalIndex())) {
                    org.tga4j.datasets.BadRecordReport bad = org.tga4j.datasets.BadRecordReport.skipping();
                    long n = CaptionIndexes.build(o.captions(), o.retrievalIndex(), embedder, bad);
                    log.accept("indexed " + n + " captions of " + o.captions() + " into " + o.retrievalIndex()
                            + (bad.count() > 0 ? " (" + bad.summary() + ")" : ""));
                }
                index = CaptionIndex.open(o.retrievalIndex());
                if (!embedder.name().equals(index.metadata().embedder())) {
                    throw new IllegalArgumentException("index " + o.retrievalIndex() + " was built with embedder '"
                            + index.metadata().embedder() + "', but --clip " + o.clipDir() + " is '" + embedder.name() + "'");
                }
                retrieval = new PrefixRetrieval(index.dense(embedder), "dense top-1 from " + o.retrievalIndex()
                        + " (" + index.size() + " captions, embedder " + embedder.name() + ")");
            }
            Evaluator ev = new Evaluator(lvlm, config, retrieval, modelSha);
            Evaluator.Summary sum;
            try (GenerationStore store = GenerationStore.open(genFile, ev.run())) {
                if (store.droppedLines() > 0) log.accept("dropped " + store.droppedLines() + " torn line(s) of " + genFile);
                sum = ev.run(store, progress);
            }
            log.accept("generations: " + sum.total() + " total, " + sum.generated() + " generated, " + sum.resumed()
                    + " resumed from " + genFile);
            List<GenerationRecord> records = GenerationStore.readAll(genFile);
            SafetyMetrics metrics = new SafetyMetrics(o.resamples(), o.seed());
            List<JudgeResult> results = new ArrayList<>();
            for (Judge j : judges) {
                results.add(Judging.judge(records, j, metrics, o.out().resolve("verdicts-" + j.name() + ".jsonl")));
            }
            List<String> settings = new ArrayList<>();
            if (o.plain()) settings.add(Evaluator.PLAIN);
            if (retrieval != null) settings.add(Evaluator.TGA);
            if (o.textTemplate() != null) settings.add(Evaluator.TEXT);
            ReproManifest m = new ReproManifest(Tga4jVersion.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    o.command(), o.modelDir().toAbsolutePath().toString(), modelSha, lvlm.template().name(), o.precision().label(),
                    sets.stream().map(SafetyBenchmark::info).toList(), prompts, o.setPrompts(), o.decoding(), settings,
                    retrieval == null ? null : retrieval.description(), ev.refusalTokens().words(),
                    ev.refusalTokens().idList(), o.resamples(), o.seed(), genFile.toAbsolutePath().toString(),
                    Hashing.sha256(genFile), ev.run());
            String label = o.label() != null ? o.label() : o.modelDir().toAbsolutePath().getFileName().toString();
            Report report = new Report(label, m, results, null);
            report.write(o.out());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            if (embedder != null) embedder.close();
            if (index != null) {
                try {
                    index.close();
                } catch (IOException ignored) {
                    // read-only index
                }
            }
        }
    }

    /** The manifest entry of a set. */
    public static SetInfo info(LoadedSet l) {
        return new SetInfo(l.name(), l.spec().kind(), l.spec().path().toAbsolutePath().toString(),
                l.spec().imageRoot() == null ? null : l.spec().imageRoot().toAbsolutePath().toString(), l.sha256(),
                l.items().size(), l.skipped(), l.bad().stream().map(Object::toString).toList());
    }
}
