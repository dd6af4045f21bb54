package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The JSON side of the pretraining config records: overrides by property name, files over defaults, text. */
final class ConfigRecords {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigRecords() {}

    /** {@code config} with the given fields replaced (JSON property name → value; null values are ignored). */
    static <T> T withOverrides(T config, Map<String, ?> overrides, Class<T> type) {
        ObjectNode node = JSON.valueToTree(config);
        overrides.forEach((k, v) -> {
            if (v == null) return;
            if (!node.has(k)) throw new IllegalArgumentException("unknown pretraining option '" + k + "'");
            node.set(k, JSON.valueToTree(v));
        });
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad pretraining option: " + e.getMessage(), e);
        }
    }

    /** Reads a config file; fields it leaves out take {@code defaults}. */
    static <T> T read(Path file, T defaults, Class<T> type) {
        try {
            ObjectNode given = (ObjectNode) JSON.readTree(file.toFile());
            ObjectNode node = JSON.valueToTree(defaults);
            given.fields().forEachRemaining(e -> {
                if (!node.has(e.getKey())) {
                    throw new IllegalArgumentException(file + ": unknown pretraining option '" + e.getKey() + "'");
                }
                node.set(e.getKey(), e.getValue());
            });
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException("reading pretraining config " + file + ": " + e.getMessage(), e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(file + ": a pretraining config must be a JSON object");
        }
    }

    static String toJson(Object config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
