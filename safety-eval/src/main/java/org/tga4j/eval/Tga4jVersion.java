package org.tga4j.eval;

/** The tga4j version recorded in every manifest: the jar's Implementation-Version, else {@code dev}. */
public final class Tga4jVersion {
    private Tga4jVersion() {}

    public static String get() {
        String v = Tga4jVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT (dev)" : v;
    }
}
