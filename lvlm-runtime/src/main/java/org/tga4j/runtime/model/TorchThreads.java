package org.tga4j.runtime.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets libtorch's intra-op thread count explicitly once per JVM. DJL only calls {@code torch.set_num_threads} when
 * {@code -Dai.djl.pytorch.num_threads} is given; without that call the CPU libtorch's BLAS sizes its own thread
 * pool from the host rather than from the CPUs this process may use, and on a 2-CPU container decode ran about
 * 10x slower (measured with {@code tga bench runtime}). The count is {@code -Dai.djl.pytorch.num_threads} when set,
 * else {@link Runtime#availableProcessors()} (which honours cgroup limits).
 */
public final class TorchThreads {
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    private static volatile boolean configured;

    private TorchThreads() {}

    /** Applies the thread count (idempotent; cheap after the first call). */
    public static void configure() {
        if (configured) return;
        synchronized (TorchThreads.class) {
            if (configured) return;
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
            JniUtils.setNumThreads(Math.max(1, threads));
            configured = true;
        }
    }

    /** libtorch's current intra-op thread count. */
    public static int current() {
        configure();
        return JniUtils.getNumThreads();
    }
}
