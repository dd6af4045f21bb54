package org.tga4j.eval.probe;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.eval.Hashing;
import org.tga4j.eval.Tga4jVersion;
import org.tga4j.eval.bench.LoadedSet;
import org.tga4j.eval.bench.SafetyBenchmark;
import org.tga4j.eval.bench.SafetySets;
import org.tga4j.eval.bench.SetSpec;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.eval.report.Band;
import org.tga4j.eval.report.Report;
import org.tga4j.eval.report.ReproManifest;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.model.WeightPrecision;

/**
 * {@code tga probe} as a library call: the toxic items (expected REFUSE) and benign items (expected ANSWER) of the
 * given sets, capped per kind, through the {@link LayerProbe}; writes {@code report.json}, {@code report.html} and
 * {@code band.json} (the recommended alignment band for the trainer).
 */
public final class SafetyProbe {
    private SafetyProbe() {}

    /**
     * @param maxItems at most this many toxic and this many benign items (the first ones, in set order)
     * @param precision how the model's projection weights are held
     */
    public record Options(Path modelDir, List<SetSpec> sets, int maxItems, List<String> refusalWords, Path out,
            String label, String command, ProbePrompts prompts, WeightPrecision precision) {}

    public static Report run(Options o, Consumer<String> log) {
        List<LoadedSet> sets = new ArrayList<>();
        List<SafetyItem> toxic = new ArrayList<>(), benign = new ArrayList<>();
        for (SetSpec s : o.sets()) {
            LoadedSet l = SafetySets.load(s, Set.of(), false);
            sets.add(l);
            for (SafetyItem it : LayerProbe.usable(l.items())) {
                List<SafetyItem> to = it.expected() == SafetyItem.Expected.REFUSE ? toxic : benign;
                if (to.size() < o.maxItems()) to.add(it);
            }
        }
        log.accept("probe: " + toxic.size() + " toxic and " + benign.size() + " benign items with descriptions");
        String sha = Hashing.modelWeights(o.modelDir());
        try (Lvlm lvlm = Lvlm.load(o.modelDir(), null, o.precision())) {
            RefusalTokens refusal = RefusalTokens.resolve(lvlm.tokenizer(), o.refusalWords());
            ProbeResult p = new LayerProbe(lvlm, refusal, o.prompts()).probe(toxic, benign);
            ReproManifest m = new ReproManifest(Tga4jVersion.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    o.command(), o.modelDir().toAbsolutePath().toString(), sha, lvlm.template().name(), o.precision().label(),
                    sets.stream().map(SafetyBenchmark::info).toList(),
                    List.of(o.prompts().vision(), o.prompts().text()), java.util.Map.of(), null, List.of("vision", "text"), null,
                    refusal.words(), refusal.idList(), 0, 0, null, null, null);
            String label = o.label() != null ? o.label() : o.modelDir().toAbsolutePath().getFileName().toString();
            Report r = new Report(label, m, List.of(), p);
            r.write(o.out());
            if (p.band() != null) {
                Band.write(o.out().resolve("band.json"), p, m.modelPath(), sha);
                log.accept("safety band " + p.band()[0] + ".." + p.band()[1] + " -> " + o.out().resolve("band.json"));
            } else {
                log.accept("no safety band: no toxic text run put a refusal token on top; band.json not written");
            }
            return r;
        }
    }
}
