package org.tga4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A toxic-image set laid out as a folder per category, as the HOD (Harmful Object Detection) data set is:
 * {@code root/{category}/{normal,hard}/*.jpg}. Images directly under {@code root/{category}/} are accepted too.
 * Every image becomes a {@link SafetyItem} with {@code expected = REFUSE}, id {@code category/subset/file}, and no
 * prompt (the benchmark supplies its request list). Files are listed in sorted order, so the result is stable.
 * Only {@code .jpg/.jpeg/.png/.bmp} files are taken; a file or link that resolves outside the root is reported as a
 * bad record and skipped. Pixels are not read here (use {@link Images#read}).
 */
public final class HodFolder {
    private HodFolder() {}

    public static final String SOURCE = "hod";

    public static List<SafetyItem> read(Path root, BadRecordReport report) throws IOException {
        ImageRoot imageRoot = new ImageRoot(root);
        if (!Files.isDirectory(root)) throw new DatasetFormatException(root + ": not a directory (expected {category}/{normal,hard}/*.jpg)");
        List<SafetyItem> out = new ArrayList<>();
        long index = 0;
        for (Path categoryDir : sortedChildren(root)) {
            if (!Files.isDirectory(categoryDir)) continue;
            String category = categoryDir.getFileName().toString();
            List<Path> files = new ArrayList<>();
            for (Path child : sortedChildren(categoryDir)) {
                if (Files.isDirectory(child)) files.addAll(sortedChildren(child));
                else files.add(child);
            }
            for (Path f : files) {
                if (!isImageName(f)) continue;
                String rel = imageRoot.relativize(f);
                long i = index++;
                try {
                    Path resolved = imageRoot.resolve(rel);
                    out.add(new SafetyItem(rel, resolved, category, null, null, SafetyItem.Expected.REFUSE, SOURCE));
                } catch (PathEscapeException e) {
                    report.report(f, i, -1, e.getMessage());
                }
            }
        }
        return out;
    }

    static boolean isImageName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
