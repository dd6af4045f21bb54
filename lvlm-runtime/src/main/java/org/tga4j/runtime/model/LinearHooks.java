package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The {@link LinearHook}s attached to weight tensors, keyed by the tensor object itself (identity, not contents).
 * {@link Ops#linear} consults it on every call, so any projection whose weight tensor the model uses as loaded — q/k/v/o,
 * gate/up/down — picks up its hook wherever the modeling code calls it. Code that replaces a loaded weight by a copy
 * (a fused or converted tensor) must check {@link #isHooked} first, or the hook would silently stop applying.
 *
 * <p>Thread-safe; the lookup is a read of an immutable map (copy on write), free when no hook is attached.
 */
public final class LinearHooks {
    private static volatile Map<NDArray, LinearHook> hooks = Map.of();

    private LinearHooks() {}

    /** Attaches {@code hook} to {@code weight} (replacing any hook it had). */
    public static synchronized void attach(NDArray weight, LinearHook hook) {
        Map<NDArray, LinearHook> next = new IdentityHashMap<>(hooks);
        next.put(weight, hook);
        hooks = Collections.unmodifiableMap(next);
    }

    /** Removes the hook of {@code weight}, if any. */
    public static synchronized void detach(NDArray weight) {
        if (!hooks.containsKey(weight)) return;
        Map<NDArray, LinearHook> next = new IdentityHashMap<>(hooks);
        next.remove(weight);
        hooks = next.isEmpty() ? Map.of() : Collections.unmodifiableMap(next);
    }

    /** Whether a hook is attached to {@code weight}. */
    public static boolean isHooked(NDArray weight) {
        return find(weight) != null;
    }

    /** The hook attached to {@code weight}, or null. */
    static LinearHook find(NDArray weight) {
        Map<NDArray, LinearHook> h = hooks;
        return h.isEmpty() ? null : h.get(weight);
    }
}
