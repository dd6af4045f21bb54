package org.tga4j.runtime.model;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Daemon threads that share a decode step's kernels with the calling thread. A decode step hands out work every
 * 0.1-0.3 ms (one linear product or attention at a time, with libtorch's small ops between them), and waking a sleeping
 * thread cost ~50 us on this project's (virtual) machine: 49 products per token lost 2.5 ms that way with a
 * {@code ForkJoinPool}. So a helper spins for {@link #SPIN_NANOS} after its last piece of work, then sleeps.
 */
final class SpinningHelpers {
    /** How long an idle helper waits for work before sleeping: longer than the gaps inside a decode step. */
    static final long SPIN_NANOS = 500_000;

    private final Helper[] helpers;
    private final ReentrantLock inUse = new ReentrantLock();

    SpinningHelpers(int count) {
        helpers = new Helper[Math.max(0, count)];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper("tga4j-decode-helper-" + i);
            helpers[i].start();
        }
    }

    /**
     * Runs {@code part.accept(t)} for {@code t < parts}: 0 on the calling thread, the others on helpers, and returns
     * when all are done (rethrowing a helper's failure). Returns false, running nothing, when there are too few
     * helpers or another thread is using them.
     */
    boolean run(int parts, IntConsumer part) {
        if (parts - 1 > helpers.length || !inUse.tryLock()) return false;
        try {
            for (int t = 1; t < parts; t++) {
                int index = t;
                helpers[t - 1].give(() -> part.accept(index));
            }
            part.accept(0);
            for (int t = 1; t < parts; t++) helpers[t - 1].awaitDone();
            return true;
        } finally {
            inUse.unlock();
        }
    }

    private static final class Helper extends Thread {
        private volatile Runnable work;
        private volatile boolean done = true, sleeping;
        private volatile Throwable failure;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void give(Runnable r) {
            done = false;
            failure = null;
            work = r;
            if (sleeping) LockSupport.unpark(this);
        }

        void awaitDone() {
            while (!done) Thread.onSpinWait();
            Throwable f = failure;
            if (f instanceof RuntimeException e) throw e;
            if (f instanceof Error e) throw e;
        }

        @Override
        public void run() {
            TorchThreads.configure();
            while (true) {
                Runnable r = awaitWork();
                work = null;
                try {
                    r.run();
                } catch (Throwable e) {
                    failure = e;
                }
                done = true;
            }
        }

        private Runnable awaitWork() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Runnable r = work;
                if (r != null) return r;
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                sleeping = true;
                r = work; // given between the last look and announcing sleep: the giver did not unpark
                if (r == null) LockSupport.park(this);
                sleeping = false;
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
