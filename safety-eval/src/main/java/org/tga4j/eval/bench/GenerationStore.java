package org.tga4j.eval.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generations JSONL file, append-only and resumable. Each finished batch is appended and flushed to disk, so a
 * killed run loses at most the batch in flight. On open, every complete line is read back; a torn last line (the
 * write the kill interrupted) is dropped by rewriting the file without it (temp file + atomic move). Lines made with
 * other settings (a different {@code run} fingerprint) are an error, never silently mixed.
 */
public final class GenerationStore implements AutoCloseable {
    /** The JSON mapping of records (snake_case). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Map<String, GenerationRecord> done;
    private final BufferedWriter out;
    private final int dropped;

    private GenerationStore(Path file, Map<String, GenerationRecord> done, int dropped) throws IOException {
        this.file = file;
        this.done = done;
        this.dropped = dropped;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Opens (or creates) the store for a run with the given fingerprint. */
    public static GenerationStore open(Path file, String run) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Map<String, GenerationRecord> done = new LinkedHashMap<>();
            int dropped = 0;
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                List<String> keep = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank()) continue;
                    GenerationRecord r;
                    try {
                        r = JSON.readValue(line, GenerationRecord.class);
                    } catch (IOException e) {
                        if (i == lines.size() - 1) {
                            dropped++;
                            continue; // the torn write of a killed run
                        }
                        throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a generation record: "
                                + e.getMessage());
                    }
                    if (!run.equals(r.run())) {
                        throw new IllegalArgumentException(file + " line " + (i + 1) + " was made with other settings "
                                + "(run " + r.run() + ", this run is " + run + "); use another --generations file");
                    }
                    done.put(r.key(), r);
                    keep.add(line);
                }
                if (dropped > 0) {
                    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
                    Files.write(tmp, keep, StandardCharsets.UTF_8);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new GenerationStore(file, done, dropped);
        } catch (IOException e) {
            throw new UncheckedIOException("opening generations file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads every record of a finished generations file (for re-judging), without checking the run. */
    public static List<GenerationRecord> readAll(Path file) {
        try {
            List<GenerationRecord> out = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    out.add(JSON.readValue(lines.get(i), GenerationRecord.class));
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a generation record: "
                            + e.getMessage());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("reading generations file " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean isDone(String key) {
        return done.containsKey(key);
    }

    /** Records already in the file (finished before this run started, plus those appended since). */
    public Map<String, GenerationRecord> records() {
        return done;
    }

    /** Torn lines dropped when the file was opened. */
    public int droppedLines() {
        return dropped;
    }

    public Path file() {
        return file;
    }

    /** Appends a finished batch and flushes it. */
    public synchronized void append(List<GenerationRecord> batch) {
        try {
            for (GenerationRecord r : batch) {
                out.write(JSON.writeValueAsString(r));
                out.write('\n');
                done.put(r.key(), r);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("appending to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file + ": " + e.getMessage(), e);
        }
    }
}
