package org.tga4j.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.tga4j.eval.bench.Decoding;
import org.tga4j.eval.bench.SafetyBenchmark;
import org.tga4j.eval.bench.SetSpec;
import org.tga4j.eval.metrics.GroupMetrics;
import org.tga4j.eval.report.JudgeResult;
import org.tga4j.eval.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Safety benchmark: generations (resumable) with and without TGA's retrieved-text prefix, judges,"
                + " DSR / over-refusal / utility with bootstrap CIs, report.json + report.html.")
public final class EvalCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--set", required = true, description = "kind:path[:imageRoot], kind one of manifest, hod, vlguard,"
            + " mmsb, figstep (repeatable).")
    List<String> sets;
    @Option(names = "--out", required = true, description = "Output folder.") Path out;
    @Option(names = "--generations", description = "Generations JSONL (default OUT/generations.jsonl); an existing file is resumed.")
    Path generations;
    @Option(names = "--prompt", description = "Default request list for items without a prompt (repeatable).")
    List<String> prompts;
    @Option(names = "--set-prompts", description = "SETNAME=FILE: a request list (one per line) for the items of one"
            + " set (SETNAME is kind:fileName as printed), replacing the default list for it (repeatable).")
    java.util.Map<String, Path> setPromptFiles;
    @Option(names = "--category", description = "Accept only these categories; others are reported and skipped.")
    List<String> categories;
    @Option(names = "--fail-on-bad", description = "Fail on the first bad record or item instead of skipping it.")
    boolean failOnBad;
    @Option(names = "--max-new-tokens", defaultValue = "64") int maxNewTokens;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default).") float temperature;
    @Option(names = "--top-k", defaultValue = "0") int topK;
    @Option(names = "--top-p", defaultValue = "1") float topP;
    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.") long seed;
    @Option(names = "--batch-size", defaultValue = "8") int batchSize;
    @Option(names = "--no-plain", description = "Skip the plain setting.") boolean noPlain;
    @Option(names = "--no-tga", description = "Skip the TGA (retrieved-text prefix) setting.") boolean noTga;
    @Option(names = "--retrieval-index", description = "Caption index for the TGA prefix (image→text dense retrieval).")
    Path retrievalIndex;
    @Option(names = "--clip", description = "CLIP checkpoint that embedded the index (image tower for the query).")
    Path clip;
    @Option(names = "--captions", description = "Caption corpus (JSONL id/text) to build --retrieval-index from with"
            + " the --clip text tower when that index does not exist yet.")
    Path captions;
    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples per interval.") int resamples;
    @Option(names = "--bootstrap-seed", defaultValue = "1234") long bootstrapSeed;
    @Option(names = "--label", description = "Report label (default: model folder name).") String label;
    @Option(names = "--no-first-token", description = "Do not store the first-token refusal mass (the first-token"
            + " judge then cannot be used, now or later).")
    boolean noFirstToken;
    @Option(names = "--text-template", paramLabel = "TEMPLATE", description = "Also run the text setting: each item's"
            + " description asked as text only, e.g. 'Scene: {description}.\\n{request}' (the text-only ceiling).")
    String textTemplate;
    @Option(names = "--no-progress") boolean noProgress;
    @Mixin JudgeOptions judge = new JudgeOptions();
    @Mixin PrecisionOption precision = new PrecisionOption();

    @Override
    public Integer call() {
        List<String> judgeNames = judge.judgeNames();
        if (noFirstToken) {
            if (judge.judges != null && judge.judges.contains("first-token")) {
                throw new IllegalArgumentException("--judge first-token needs the first-token mass; drop --no-first-token");
            }
            judgeNames = judgeNames.stream().filter(n -> !n.equals("first-token")).toList();
        }
        if (captions != null && retrievalIndex == null) retrievalIndex = out.resolve("caption-index");
        boolean tga = !noTga && retrievalIndex != null;
        if (!noTga && retrievalIndex == null) {
            spec.commandLine().getErr().println("note: no --retrieval-index, so only the plain setting runs");
        }
        var o = new SafetyBenchmark.Options(model, sets.stream().map(SetSpec::parse).toList(),
                categories == null ? java.util.Set.of() : new HashSet<>(categories), failOnBad,
                prompts == null ? List.of() : prompts, setPrompts(), new Decoding(maxNewTokens, temperature, topK, topP, seed), batchSize,
                !noPlain, tga, retrievalIndex, clip, captions, judgeNames, judge.options(), resamples, bootstrapSeed, out,
                generations, label, "tga eval " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                !noFirstToken, textTemplate == null ? null : textTemplate.replace("\\n", "\n"), precision.precision);
        var outW = spec.commandLine().getOut();
        ProgressBar bar = noProgress ? null : new ProgressBar("generate", -1);
        try {
            Report r = SafetyBenchmark.run(o, outW::println, n -> {
                if (bar != null) bar.stepBy(n);
            });
            for (JudgeResult jr : r.results()) {
                for (GroupMetrics g : jr.groups()) {
                    outW.printf("%-12s %-28s %-6s DSR %s  over-refusal %s  utility %s%n", jr.judge(), g.set(), g.setting(),
                            pct(g.dsr()), pct(g.overRefusal()), pct(g.utility()));
                }
            }
            outW.println("report: " + out.resolve("report.html"));
        } finally {
            if (bar != null) bar.close();
        }
        return 0;
    }

    private java.util.Map<String, List<String>> setPrompts() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        if (setPromptFiles == null) return m;
        setPromptFiles.forEach((set, file) -> {
            try {
                m.put(set, java.nio.file.Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty())
                        .toList());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--set-prompts " + set + ": cannot read " + file + ": " + e.getMessage());
            }
        });
        return m;
    }

    static String pct(org.tga4j.eval.metrics.Rate r) {
        return r == null ? "—" : String.format(java.util.Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * r.value(), 100 * r.lo(),
                100 * r.hi());
    }
}
