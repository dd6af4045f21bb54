package org.tga4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tga4j.eval.bench.SetSpec;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.eval.probe.ProbePrompts;
import org.tga4j.eval.probe.SafetyProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Layer probe: logit-lens safety start/end layers, image/description cosine per layer, refusal"
                + " direction; writes report.json, report.html and band.json (the alignment band for tga train).")
public final class ProbeCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--set", required = true, description = "kind:path[:imageRoot]: toxic (expected refuse) and benign"
            + " (expected answer) items with descriptions (repeatable).")
    List<String> sets;
    @Option(names = "--out", required = true) Path out;
    @Option(names = "--max-items", defaultValue = "64", description = "At most this many toxic and benign items each.")
    int maxItems;
    @Option(names = "--refusal-word", description = "Refusal words (repeatable; default: Sorry, I).") List<String> words;
    @Option(names = "--label") String label;
    @Option(names = "--vision-prompt", description = "The vision run's prompt, with <image> (default: the reference's"
            + " '<image>\\nDescribe this image.').") String visionPrompt;
    @Option(names = "--text-prompt", description = "The text run's prompt, with {description} (default: the reference's"
            + " 'Describe this scene : {description}').") String textPrompt;

    @Mixin PrecisionOption precision = new PrecisionOption();

    @Override
    public Integer call() {
        var o = new SafetyProbe.Options(model, sets.stream().map(SetSpec::parse).toList(), maxItems,
                words == null || words.isEmpty() ? RefusalTokens.DEFAULT_WORDS : words, out, label,
                "tga probe " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                new ProbePrompts(visionPrompt != null ? visionPrompt.replace("\\n", "\n") : ProbePrompts.REFERENCE.vision(),
                        textPrompt != null ? textPrompt.replace("\\n", "\n") : ProbePrompts.REFERENCE.text()),
                precision.precision);
        SafetyProbe.run(o, spec.commandLine().getOut()::println);
        spec.commandLine().getOut().println("report: " + out.resolve("report.html"));
        return 0;
    }
}
