package org.tga4j.eval.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.tga4j.eval.probe.ProbeResult;

/**
 * A report: {@code report.json} (this record, snake_case) and {@code report.html}.
 *
 * @param label a short name for side-by-side comparisons (defaults to the model folder name)
 * @param manifest how every number was made
 * @param results metrics per judge (empty for a probe-only report)
 * @param probe the layer probe, or null
 */
public record Report(String label, ReproManifest manifest, List<JudgeResult> results, ProbeResult probe) {

    /** The JSON mapping (snake_case, NaN written as a string). */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reads a {@code report.json}. */
    public static Report read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Report.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a tga4j report.json: " + e.getMessage(), e);
        }
    }

    /** Writes {@code report.json} and {@code report.html} into {@code dir}, each atomically. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            atomicWrite(dir.resolve("report.json"), JSON.writeValueAsString(this));
            atomicWrite(dir.resolve("report.html"), ReportHtml.render(this));
        } catch (IOException e) {
            throw new UncheckedIOException("writing report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes text to a temp file in the same folder and moves it into place. */
    public static void atomicWrite(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
