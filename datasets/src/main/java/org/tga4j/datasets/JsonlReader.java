package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a JSON-lines file one line at a time: blank lines are ignored, every other line is one JSON object mapped by
 * a function; a line that is not valid JSON or that the mapper rejects is reported (with its line number) and skipped.
 */
final class JsonlReader {
    private JsonlReader() {}

    /** Returns the number of good records passed to {@code sink}. */
    static <T> long forEach(Path file, BadRecordReport report, Function<JsonNode, T> mapper, Consumer<T> sink)
            throws IOException {
        long good = 0, index = 0, lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                long i = index++;
                T value;
                try {
                    value = mapper.apply(LlavaJsonReader.MAPPER.readTree(line));
                } catch (JsonProcessingException e) {
                    report.report(file, i, lineNo, "malformed JSON: " + e.getOriginalMessage());
                    continue;
                } catch (RecordProblem | PathEscapeException e) {
                    report.report(file, i, lineNo, e.getMessage());
                    continue;
                }
                sink.accept(value);
                good++;
            }
        }
        return good;
    }
}
