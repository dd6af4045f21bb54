package org.tga4j.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes a checkpoint's {@code config.json}, dispatching on {@code model_type}. */
public final class ModelConfig {
    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelConfig() {}

    /** Reads {@code dir/config.json}: a {@link LlavaConfig}, a {@link TextConfig} or a {@link ClipConfig}. */
    public static Record load(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(file + ": not found (a model directory needs config.json)");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        String type = node.path("model_type").asText(null);
        if (type == null) throw new IllegalArgumentException(file + ": missing key 'model_type'");
        try {
            return switch (type) {
                case "llava" -> JSON.treeToValue(node, LlavaConfig.class);
                case "llama", "mistral", "qwen2" -> JSON.treeToValue(node, TextConfig.class);
                case "clip" -> JSON.treeToValue(node, ClipConfig.class);
                default -> throw new IllegalArgumentException(file + ": unknown model_type '" + type
                        + "' (expected llava, llama, mistral, qwen2 or clip)");
            };
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
        }
    }

    /** Writes {@code config} as {@code dir/config.json} atomically (temp file, then move). */
    public static void save(Record config, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".config", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), config);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The shared mapper (INDENT_OUTPUT) for config-like files. */
    public static ObjectMapper json() {
        return JSON;
    }
}
