package org.tga4j.projector;

import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tga4j.runtime.model.TorchThreads;

/**
 * Two independent trainings at once, one on the calling thread and one on a thread of its own: the demo's LLaVA
 * baseline and TGA, the foundation's text LLM and CLIP. Each training's ops run on its own thread with the configured
 * libtorch thread count, so the models are the ones the two trainings make one after the other, bit for bit; with one
 * libtorch thread each (the TinyWorld commands) two cores train both in about the time of the longer one.
 */
public final class TrainingThreads {
    private TrainingThreads() {}

    /** What the two trainings returned. */
    public record Both<A, B>(A first, B second) {}

    /**
     * One progress display for trainings that run at once: {@code report} gets their mean fraction (in thousandths) and
     * each one's latest step; log lines go out one at a time.
     */
    public static final class Progress {
        /** Where the progress goes: a detail line and {@code done} of {@code total}. */
        public interface Sink {
            void report(String detail, long done, long total);
        }

        private final int trainings;
        private final Sink sink;
        private final Consumer<String> log;
        private final Map<String, Double> fractions = new LinkedHashMap<>();
        private final Map<String, String> details = new LinkedHashMap<>();

        public Progress(int trainings, Sink sink, Consumer<String> log) {
            this.trainings = trainings;
            this.sink = sink;
            this.log = log;
        }

        /** Training {@code name} is {@code fraction} (0..1) done; {@code detail} says where. */
        public synchronized void update(String name, double fraction, String detail) {
            fractions.put(name, fraction);
            details.put(name, name + " " + detail);
            double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
            sink.report(String.join(" | ", details.values()), Math.round(1000 * sum), 1000L * trainings);
        }

        public synchronized void log(String line) {
            log.accept(line);
        }
    }

    /**
     * Runs {@code second} on a new thread and {@code first} on this one and waits for both. When one fails, the other
     * still runs to its end (it cannot be stopped halfway without leaving partial output), then the failure is thrown
     * with the other's, if any, suppressed.
     */
    public static <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
        CompletableFuture<B> other = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("tga4j-training").start(() -> {
            try {
                // A new thread starts with libtorch's gradient recording on; the trainers expect it off outside a step.
                JniUtils.setGradMode(false);
                TorchThreads.configure();
                other.complete(second.get());
            } catch (Throwable t) {
                other.completeExceptionally(t);
            }
        });
        A a;
        try {
            a = first.get();
        } catch (RuntimeException | Error e) {
            join(thread);
            if (other.isCompletedExceptionally()) e.addSuppressed(other.exceptionNow());
            throw e;
        }
        join(thread);
        try {
            return new Both<>(a, other.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a training", e);
        }
    }

    private static void join(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
