package org.tga4j.projector;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one {@link StepMetrics} per line, appended and flushed each step. On resume the lines past
 * the checkpoint's step are dropped first, so the file reads as one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens the log in {@code dir}, keeping only steps {@code 1..fromStep} (those a resumed checkpoint holds). */
    public static MetricsLog open(Path dir, int fromStep) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            List<String> kept = new ArrayList<>();
            if (fromStep > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank()) continue;
                    try {
                        if (JSON.readTree(line).path("step").asInt(Integer.MAX_VALUE) <= fromStep) kept.add(line);
                    } catch (IOException e) {
                        // a line torn by a kill: dropped
                    }
                }
            }
            Files.write(file, kept, StandardCharsets.UTF_8);
            return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("opening metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    public void append(StepMetrics m) {
        try {
            out.write(JSON.writeValueAsString(m));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics log: " + e.getMessage(), e);
        }
    }

    /** Reads a metrics log. */
    public static List<StepMetrics> read(Path file) {
        List<StepMetrics> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) out.add(JSON.readValue(line, StepMetrics.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading metrics log " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
