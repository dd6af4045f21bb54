package org.tga4j.runtime.config;

import java.util.Set;

/** The activation names the modeling code implements. */
public final class Activations {
    public static final Set<String> SUPPORTED = Set.of("quick_gelu", "gelu", "silu", "relu");

    private Activations() {}

    static void check(String name, String key) {
        if (!SUPPORTED.contains(name)) {
            throw new IllegalArgumentException(key + ": activation '" + name + "' is not supported (expected one of "
                    + SUPPORTED + ")");
        }
    }
}
