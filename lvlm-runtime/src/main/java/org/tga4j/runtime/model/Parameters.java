package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters a model pulled from its {@link ParameterSource}, by their checkpoint names, in load order — what a
 * checkpoint writer saves and what a trainer selects trainable tensors from.
 */
public final class Parameters {
    private final ParameterSource source;
    private final Map<String, NDArray> loaded = new LinkedHashMap<>();

    public Parameters(ParameterSource source) {
        this.source = source;
    }

    /** Loads (once) and records tensor {@code name} with the given shape. */
    public NDArray get(String name, long... shape) {
        NDArray existing = loaded.get(name);
        if (existing != null) return existing;
        NDArray a = source.get(name, shape);
        loaded.put(name, a);
        return a;
    }

    public boolean has(String name) {
        return loaded.containsKey(name) || source.has(name);
    }

    public ParameterSource source() {
        return source;
    }

    /** All loaded tensors, by checkpoint name, in load order. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(loaded);
    }

    /** The loaded tensors whose names start with {@code prefix}. */
    public Map<String, NDArray> withPrefix(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        loaded.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k, v);
        });
        return out;
    }

    /** Total number of scalars in the loaded tensors. */
    public long count() {
        return loaded.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }
}
