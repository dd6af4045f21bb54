package org.tga4j.eval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.eval.judge.Judge;
import org.tga4j.eval.judge.JudgeInput;
import org.tga4j.eval.judge.KeywordJudge;
import org.tga4j.eval.judge.Verdict;
import org.tga4j.eval.metrics.JudgedItem;
import org.tga4j.eval.metrics.SafetyMetrics;
import org.tga4j.eval.report.JudgeResult;
import org.tga4j.eval.report.Report;

/** Applies a judge to stored generations, keeps every verdict with its evidence, and computes the metrics. */
public final class Judging {
    private Judging() {}

    /**
     * @param verdictsFile where to write one JSON line per verdict ({@code key, judge, version, refused, evidence}),
     *     atomically; or null
     */
    public static JudgeResult judge(List<GenerationRecord> records, Judge judge, SafetyMetrics metrics, Path verdictsFile) {
        List<JudgedItem> judged = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (GenerationRecord r : records) {
            Verdict v = judge.judge(new JudgeInput(r.prompt(), r.output(), r.firstTokenRefusalMass()));
            judged.add(new JudgedItem(r.set(), r.setting(), r.itemId() + "#" + r.promptIndex(), r.category(),
                    SafetyItem.Expected.valueOf(r.expected()), r.source(), v.refused(), r.output(), r.description()));
            if (verdictsFile != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", r.key());
                m.put("judge", judge.name());
                m.put("version", judge.version());
                m.put("refused", v.refused());
                m.put("evidence", v.evidence());
                try {
                    lines.append(GenerationStore.JSON.writeValueAsString(m)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (verdictsFile != null) {
            try {
                Report.atomicWrite(verdictsFile, lines.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + verdictsFile + ": " + e.getMessage(), e);
            }
        }
        String source = judge instanceof KeywordJudge k ? k.list().source() : null;
        return new JudgeResult(judge.name(), judge.version(), source, metrics.compute(judged));
    }
}
