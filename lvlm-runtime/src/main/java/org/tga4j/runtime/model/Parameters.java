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
    private final WeightPrecision linearPrecision;
    private final Map<String, NDArray> loaded = new LinkedHashMap<>();

    /** Parameters from {@code source}, all FLOAT32. */
    public Parameters(ParameterSource source) {
        this(source, WeightPrecision.FLOAT32);
    }

    /** Parameters from {@code source}, the language model's projection matrices held in {@code linearPrecision}. */
    public Parameters(ParameterSource source, WeightPrecision linearPrecision) {
        this.source = source;
        this.linearPrecision = linearPrecision;
    }

    /** Loads (once) and records tensor {@code name} with the given shape. */
    public NDArray get(String name, long... shape) {
        return loaded.computeIfAbsent(name, n -> source.get(n, shape));
    }

    /**
     * Loads (once) and records the weight {@code [out, in]} of one of the language model's projections, held in this
     * model's {@link WeightPrecision}.
     */
    public NDArray linearWeight(String name, long out, long in) {
        return loaded.computeIfAbsent(name, n -> linearPrecision == WeightPrecision.FLOAT16
                ? source.getHalf(n, out, in) : source.get(n, out, in));
    }

    /** Records {@code replacement} (e.g. a view of a stacked copy) under an already loaded {@code name}. */
    void replace(String name, NDArray replacement) {
        if (!loaded.containsKey(name)) throw new IllegalStateException("tensor '" + name + "' was never loaded");
        loaded.put(name, replacement);
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
