package org.tga4j.eval.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.FigStep;
import org.tga4j.datasets.HodFolder;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.MmSafetyBench;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.datasets.SafetyManifest;
import org.tga4j.datasets.VlGuard;
import org.tga4j.eval.Hashing;

/**
 * Reads the {@code --set} arguments through the datasets readers and checks every item: an item whose image file is
 * missing, or whose category is not among the allowed ones (when a list is given), is reported and skipped.
 */
public final class SafetySets {
    private SafetySets() {}

    /**
     * @param allowedCategories categories to accept, or empty for any
     * @param failOnBad throw on the first bad record or item instead of skipping it
     */
    public static LoadedSet load(SetSpec spec, Set<String> allowedCategories, boolean failOnBad) {
        if (!Files.exists(spec.path())) {
            throw new IllegalArgumentException("set " + spec + ": " + spec.path() + " does not exist");
        }
        BadRecordReport report = failOnBad ? BadRecordReport.failing() : BadRecordReport.skipping();
        List<SafetyItem> raw;
        try {
            raw = switch (spec.kind()) {
                case "manifest" -> SafetyManifest.read(spec.path(), root(spec, spec.path().toAbsolutePath().getParent()),
                        report);
                case "hod" -> HodFolder.read(spec.path(), report);
                case "vlguard" -> VlGuard.read(spec.path(), root(spec, spec.path().toAbsolutePath().getParent()), report);
                case "mmsb" -> {
                    if (spec.imageRoot() == null) {
                        throw new IllegalArgumentException("set " + spec + ": mmsb needs the imgs folder as imageRoot");
                    }
                    yield MmSafetyBench.read(spec.path(), spec.imageRoot(), report);
                }
                case "figstep" -> FigStep.read(spec.path(), spec.imageRoot() == null ? null
                        : new ImageRoot(spec.imageRoot()), report);
                default -> throw new IllegalStateException(spec.kind());
            };
        } catch (IOException e) {
            throw new UncheckedIOException("reading set " + spec + ": " + e.getMessage(), e);
        }
        List<SafetyItem> good = new ArrayList<>();
        long index = 0;
        for (SafetyItem it : raw) {
            String problem = null;
            if (it.image() != null && !Files.isRegularFile(it.image())) {
                problem = "item " + it.id() + ": image " + it.image() + " does not exist";
            } else if (!allowedCategories.isEmpty() && !allowedCategories.contains(it.category())) {
                problem = "item " + it.id() + ": unknown category '" + it.category() + "' (allowed: "
                        + allowedCategories + ")";
            }
            if (problem != null) report.report(spec.path(), index, -1, problem);
            else good.add(it);
            index++;
        }
        return new LoadedSet(spec, spec.name(), Hashing.sha256Tree(spec.path()), List.copyOf(good), report.count(),
                report.records());
    }

    private static ImageRoot root(SetSpec spec, Path fallback) {
        return new ImageRoot(spec.imageRoot() != null ? spec.imageRoot() : fallback);
    }
}
