package org.tga4j.projector;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * glibc malloc settings for training processes. A training step allocates and frees tens to hundreds of MB of
 * libtorch tensors; with glibc's defaults the memory freed at the end of a step is handed back to the kernel (the
 * heap top is trimmed above {@code 2 x} the dynamic mmap threshold, whole per-thread heaps are unmapped) and the next
 * step faults every page in again. On the project's 2-core machine that page-fault churn was the largest part of
 * the TGA/baseline step-time gap ({@code StepProfiler}: ~7,000 minor faults per TGA step against ~500 for the
 * baseline's, the TGA step's slightly larger footprint crossing the trim threshold). {@link #retainFreedMemory()}
 * keeps freed memory in the process instead: the resident set then stays at the steps' peak, which training reaches
 * anyway.
 *
 * <p>{@code mallopt} is called through the Foreign Function API, final since Java 22; the project compiles for Java
 * 21, where that API is a preview, so it is reached reflectively and skipped on Java 21, on a C library without
 * {@code mallopt} (not glibc), or when the user set any of the {@code MALLOC_*_} variables (theirs win).
 */
public final class NativeHeap {
    /** glibc's {@code mallopt} parameter numbers (malloc.h). */
    private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
    /** Free memory at the heap top kept before trimming: 1 GiB (a step frees far less at once). */
    static final int TRIM_THRESHOLD = 1 << 30;
    /** Extra grown on each heap extension: 64 MiB. */
    static final int TOP_PAD = 64 << 20;
    /** Allocations from here up are mmapped (the most glibc accepts, half its 64 MiB per-thread heap): 32 MiB. */
    static final int MMAP_THRESHOLD = 32 << 20;
    private static volatile String applied;

    private NativeHeap() {}

    /**
     * Applies the settings once per process (idempotent).
     *
     * @return a line saying what was done, for logs
     */
    public static synchronized String retainFreedMemory() {
        if (applied != null) return applied;
        applied = apply();
        return applied;
    }

    private static String apply() {
        for (String v : new String[] {"MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_"}) {
            if (System.getenv(v) != null) return "malloc settings left to the environment (" + v + " is set)";
        }
        if (Runtime.version().feature() < 22) return "malloc settings not applied (needs Java 22+)";
        try {
            MethodHandle mallopt = mallopt();
            if (mallopt == null) return "malloc settings not applied (no mallopt in the C library)";
            int ok = (int) mallopt.invoke(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    & (int) mallopt.invoke(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
                    & (int) mallopt.invoke(M_TOP_PAD, TOP_PAD);
            return ok == 1 ? "malloc: freed memory kept in the process (trim threshold 1 GiB, top pad 64 MiB)"
                    : "malloc settings partly rejected by mallopt";
        } catch (Throwable e) {
            return "malloc settings not applied (" + e + ")";
        }
    }

    /** {@code int mallopt(int, int)} as a method handle (java.lang.foreign, looked up reflectively), or null. */
    private static MethodHandle mallopt() throws ReflectiveOperationException {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
        Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(lookup, "mallopt");
        if (symbol.isEmpty()) return null;
        Object javaInt = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
        Object args = Array.newInstance(layoutType, 2);
        Array.set(args, 0, javaInt);
        Array.set(args, 1, javaInt);
        Object descriptor = descriptorType.getMethod("of", layoutType, args.getClass()).invoke(null, javaInt, args);
        Object noOptions = Array.newInstance(optionType, 0);
        return (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, noOptions.getClass())
                .invoke(linker, symbol.get(), descriptor, noOptions);
    }
}
