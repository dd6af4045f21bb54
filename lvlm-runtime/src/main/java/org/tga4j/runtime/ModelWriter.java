package org.tga4j.runtime;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * Saves a model in the HF layout it was loaded from: {@code config.json}, {@code model.safetensors} (sharded with an
 * index past {@code maxShardBytes}), and the tokenizer / preprocessor files copied from a source directory. The
 * directory appears complete or not at all: everything is written to a sibling temp directory first, and a previous
 * save at the same place is replaced only once the new one is whole.
 */
public final class ModelWriter {
    /** HF's default shard size. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5L << 30;

    /** Side files copied verbatim from the source checkpoint when present. */
    public static final List<String> SIDE_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json", "preprocessor_config.json");

    private ModelWriter() {}

    /**
     * @param out the checkpoint directory to (re)place
     * @param config the model's config record (written as config.json)
     * @param tensors the tensors by checkpoint name, in the order to store them
     * @param sideFilesFrom a checkpoint directory to copy tokenizer / preprocessor files from, or null
     * @param metadata safetensors {@code __metadata__} entries
     */
    public static void save(Path out, Record config, Map<String, NDArray> tensors, Path sideFilesFrom,
            Map<String, String> metadata, long maxShardBytes) {
        try {
            buildDirectory(out, tmp -> {
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.putIfAbsent("format", "pt");
                SafeTensorsWriter.writeSharded(tmp, tensors, meta, maxShardBytes);
                ModelConfig.save(config, tmp);
                if (sideFilesFrom != null) {
                    for (String f : SIDE_FILES) {
                        Path src = sideFilesFrom.resolve(f);
                        if (Files.exists(src)) Files.copy(src, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("saving model to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Fills a directory and returns what it made. */
    @FunctionalInterface
    public interface DirectoryWork<T> {
        T fill(Path dir) throws IOException;
    }

    /**
     * Builds a directory so that it appears whole or not at all: {@code work} fills a fresh hidden sibling of
     * {@code target}, which then {@link #replaceDirectory replaces} {@code target}. When {@code work} fails, the
     * sibling is deleted and {@code target} is left as it was.
     */
    public static <T> T buildDirectory(Path target, DirectoryWork<T> work) throws IOException {
        Path out = target.toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".tmp");
        try {
            T result = work.fill(tmp);
            replaceDirectory(tmp, out);
            return result;
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Moves {@code fresh} to {@code target}; an existing {@code target} is moved aside first and deleted after. */
    public static void replaceDirectory(Path fresh, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteRecursively(old);
    }

    /** Deletes a file or directory tree; nothing when it does not exist. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    /** Refuses an output that exists (a file, or a non-empty directory) unless it may be replaced. */
    public static void requireEmptyUnlessReplacing(Path target, boolean replace) throws IOException {
        if (replace || !Files.isDirectory(target)) {
            if (!replace && Files.exists(target)) throw new IllegalArgumentException(target + " exists and is a file");
            return;
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException(target + " exists and is not empty (pass replace to overwrite it)");
            }
        }
    }
}
