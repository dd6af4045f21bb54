package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tga4j.eval.Hashing;
import org.tga4j.eval.bench.GenerationRecord;
import org.tga4j.eval.bench.GenerationStore;
import org.tga4j.eval.bench.Judging;
import org.tga4j.eval.judge.Judge;
import org.tga4j.eval.judge.Judges;
import org.tga4j.eval.metrics.GroupMetrics;
import org.tga4j.eval.metrics.SafetyMetrics;
import org.tga4j.eval.report.JudgeResult;
import org.tga4j.eval.report.Report;
import org.tga4j.eval.report.ReproManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "judge", mixinStandardHelpOptions = true,
        description = "Re-judge stored generations (no model needed) and write the metrics.")
public final class JudgeCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--generations", required = true, description = "generations.jsonl written by tga eval.")
    Path generations;
    @Option(names = "--out", description = "Folder for verdicts and a report (default: the generations file's folder"
            + " + /judged).")
    Path out;
    @Option(names = "--report", description = "report.json of the original run, to carry its manifest over.")
    Path report;
    @Option(names = "--bootstrap", defaultValue = "1000") int resamples;
    @Option(names = "--bootstrap-seed", defaultValue = "1234") long bootstrapSeed;
    @Mixin JudgeOptions judge = new JudgeOptions();

    @Override
    public Integer call() {
        if (!Files.isRegularFile(generations)) throw new IllegalArgumentException(generations + " does not exist");
        Path dir = out != null ? out : generations.toAbsolutePath().getParent().resolve("judged");
        List<GenerationRecord> records = GenerationStore.readAll(generations);
        SafetyMetrics metrics = new SafetyMetrics(resamples, bootstrapSeed);
        List<JudgeResult> results = new ArrayList<>();
        for (String name : judge.judgeNames()) {
            Judge j = Judges.create(name, judge.options());
            JudgeResult r = Judging.judge(records, j, metrics, dir.resolve("verdicts-" + j.name() + ".jsonl"));
            results.add(r);
            for (GroupMetrics g : r.groups()) {
                spec.commandLine().getOut().printf("%-12s %-28s %-6s DSR %s  over-refusal %s%n", r.judge(), g.set(),
                        g.setting(), EvalCommand.pct(g.dsr()), EvalCommand.pct(g.overRefusal()));
            }
        }
        ReproManifest base = report != null ? Report.read(report).manifest() : null;
        String cmd = "tga judge " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ReproManifest m = base == null
                ? new ReproManifest(org.tga4j.eval.Tga4jVersion.get(), java.time.Instant.now().toString(), cmd, null, null,
                        null, null, List.of(), List.of(), java.util.Map.of(), null, List.of(), null, judge.options().refusalWords(), List.of(),
                        resamples, bootstrapSeed, generations.toAbsolutePath().toString(), Hashing.sha256(generations), null)
                : new ReproManifest(base.tga4jVersion(), java.time.Instant.now().toString(), cmd, base.modelPath(),
                        base.modelSha256(), base.template(), base.weightPrecision(), base.sets(), base.defaultPrompts(),
                        base.setPrompts() == null ? java.util.Map.of() : base.setPrompts(), base.decoding(),
                        base.settings(), base.retrieval(), base.refusalWords(), base.refusalTokenIds(), resamples,
                        bootstrapSeed, generations.toAbsolutePath().toString(), Hashing.sha256(generations), base.run());
        String label = report != null ? Report.read(report).label() + " (re-judged)" : generations.getFileName().toString();
        new Report(label, m, results, null).write(dir);
        spec.commandLine().getOut().println("report: " + dir.resolve("report.html"));
        return 0;
    }
}
