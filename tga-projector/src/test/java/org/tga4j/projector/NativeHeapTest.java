package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reflective mallopt call that keeps freed native memory in training processes really reaches glibc. */
class NativeHeapTest {
    @Test
    void appliesTheMallocSettingsOnGlibcWithJava22() {
        assumeTrue(Runtime.version().feature() >= 22, "the Foreign Function API is final from Java 22");
        assumeTrue(System.getenv("MALLOC_TRIM_THRESHOLD_") == null && System.getenv("MALLOC_TOP_PAD_") == null
                && System.getenv("MALLOC_MMAP_THRESHOLD_") == null, "the environment sets malloc itself");
        assumeTrue(Files.exists(Path.of("/proc/self/maps")) && isGlibc(), "glibc on Linux");
        String first = NativeHeap.retainFreedMemory();
        assertTrue(first.startsWith("malloc: freed memory kept"), first);
        assertEquals(first, NativeHeap.retainFreedMemory(), "applied once per process");
    }

    private static boolean isGlibc() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libc.so.6");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
