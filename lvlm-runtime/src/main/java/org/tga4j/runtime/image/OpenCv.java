package org.tga4j.runtime.image;

/** Loads OpenCV's native library from the openpnp jar exactly once, thread-safely. */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    /** Loads the native library on first call; later calls return immediately. */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (OpenCv.class) {
            if (!loaded) {
                nu.pattern.OpenCV.loadLocally();
                loaded = true;
            }
        }
    }
}
