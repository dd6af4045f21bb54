package org.tga4j.datasets;

import java.nio.file.Path;

/**
 * One skipped record of a dataset file.
 *
 * @param file the file the record came from
 * @param index 0-based record index within the file (array element or JSONL line counting non-blank lines), or -1
 * @param line 1-based line where the record starts, or -1 when unknown
 * @param problem what was wrong, e.g. {@code missing required field "conversations"}
 */
public record BadRecord(Path file, long index, long line, String problem) {

    @Override
    public String toString() {
        return describe(file, index, line, problem);
    }

    static String describe(Path file, long index, long line, String problem) {
        StringBuilder sb = new StringBuilder().append(file == null ? "<stream>" : file.toString()).append(": ");
        if (index >= 0) sb.append("record ").append(index);
        if (line >= 0) sb.append(index >= 0 ? " " : "").append("(line ").append(line).append(')');
        return sb.append(": ").append(problem).toString();
    }
}
