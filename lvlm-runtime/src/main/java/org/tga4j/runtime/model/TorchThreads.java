package org.tga4j.runtime.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count, set explicitly on every thread that computes.
 *
 * <p>DJL only calls {@code torch.set_num_threads} when {@code -Dai.djl.pytorch.num_threads} is given; without that call
 * the CPU libtorch's BLAS sizes its own thread pool from the host rather than from the CPUs this process may use, and
 * on a 2-CPU container decode ran about 10x slower (measured with {@code tga bench runtime}). The count is
 * {@code -Dai.djl.pytorch.num_threads} when set, else {@link Runtime#availableProcessors()} (which honours cgroup
 * limits).
 *
 * <p>The setting belongs to the calling thread: libtorch keeps it in the thread's OpenMP and MKL state, and a thread
 * that never set it starts from whatever count some thread set last. So every entry point that computes calls
 * {@link #configure()} (a thread-local check after the first call on a thread).
 */
public final class TorchThreads {
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    private static final ThreadLocal<Boolean> CONFIGURED = ThreadLocal.withInitial(() -> false);
    private static final ThreadLocal<Boolean> SINGLE = ThreadLocal.withInitial(() -> false);
    private static volatile int count;

    private TorchThreads() {}

    /** Applies the thread count to the calling thread (once per thread; cheap after that). */
    public static void configure() {
        if (CONFIGURED.get()) return;
        JniUtils.setNumThreads(count());
        CONFIGURED.set(true);
    }

    /**
     * Runs {@code work} with one intra-op thread on the calling thread, then restores the configured count; inside it,
     * {@link #parallel} hands the large products their threads back. For work made of many small ops whose parallel
     * regions cost more in waking the other threads (tens of microseconds each with {@code OMP_WAIT_POLICY=PASSIVE})
     * than they save: a decode step of one sequence.
     */
    public static <T> T singleThreaded(java.util.function.Supplier<T> work) {
        configure();
        JniUtils.setNumThreads(1);
        SINGLE.set(true);
        try {
            return work.get();
        } finally {
            SINGLE.set(false);
            JniUtils.setNumThreads(count());
        }
    }

    /** Runs {@code work} with the configured thread count, also inside {@link #singleThreaded}. */
    static <T> T parallel(java.util.function.Supplier<T> work) {
        if (!SINGLE.get()) return work.get();
        JniUtils.setNumThreads(count());
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(1);
        }
    }

    /** libtorch's intra-op thread count on the calling thread. */
    public static int current() {
        configure();
        return JniUtils.getNumThreads();
    }

    /**
     * Sets the count to {@code threads} unless {@code -D}{@value #PROPERTY} set one; before anything has computed (the
     * count is resolved once per JVM). For jobs whose results must not depend on the machine's number of cores:
     * libtorch's parallel reductions add in an order that depends on the thread count.
     */
    public static void defaultTo(int threads) {
        synchronized (TorchThreads.class) {
            if (count == 0 && System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, "" + threads);
        }
    }

    /** The configured count (resolved once per JVM). */
    static int count() {
        if (count > 0) return count;
        synchronized (TorchThreads.class) {
            if (count > 0) return count;
            Engine.getEngine("PyTorch"); // loads the native library (and applies DJL's own properties)
            String requested = System.getProperty(PROPERTY);
            int threads = Runtime.getRuntime().availableProcessors();
            if (requested != null && !requested.isBlank()) {
                try {
                    threads = Integer.parseInt(requested.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("-D" + PROPERTY + " must be an integer, got '" + requested + "'");
                }
            }
            count = Math.max(1, threads);
            return count;
        }
    }
}
