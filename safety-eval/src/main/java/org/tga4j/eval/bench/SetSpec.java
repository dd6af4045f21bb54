package org.tga4j.eval.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code --set kind:path[:imageRoot]} argument.
 *
 * @param kind {@code manifest}, {@code hod}, {@code vlguard}, {@code mmsb} or {@code figstep}
 * @param path the manifest / folder / test.json / processed_questions folder / safebench.csv
 * @param imageRoot image root (manifest: defaults to the manifest's folder; vlguard and figstep: required for
 *     images; mmsb: the {@code imgs} folder), or null
 */
public record SetSpec(String kind, Path path, Path imageRoot) {
    public static final List<String> KINDS = List.of("manifest", "hod", "vlguard", "mmsb", "figstep");

    public SetSpec {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown set kind '" + kind + "' (expected one of " + KINDS + ")");
        }
    }

    /** Parses {@code kind:path[:imageRoot]}. */
    public static SetSpec parse(String s) {
        String[] p = s.split(":", 3);
        if (p.length < 2 || p[1].isBlank()) {
            throw new IllegalArgumentException("--set must be kind:path[:imageRoot], got '" + s + "'");
        }
        return new SetSpec(p[0], Path.of(p[1]), p.length == 3 && !p[2].isBlank() ? Path.of(p[2]) : null);
    }

    /** The set's label in reports: {@code kind:fileName}. */
    public String name() {
        return kind + ":" + path.getFileName();
    }

    @Override
    public String toString() {
        return kind + ":" + path + (imageRoot == null ? "" : ":" + imageRoot);
    }
}
