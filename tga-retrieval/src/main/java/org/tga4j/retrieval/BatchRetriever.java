package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many queries against one retriever (one shared searcher) on a fixed thread pool; results keep the order of
 * the queries.
 */
public final class BatchRetriever implements AutoCloseable {
    private final Retriever retriever;
    private final ExecutorService pool;
    private final int threads;

    /** @param threads worker threads; use {@code Runtime.getRuntime().availableProcessors()} for all cores */
    public BatchRetriever(Retriever retriever, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.retriever = retriever;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tga-retrieve");
            t.setDaemon(true);
            return t;
        });
    }

    public Retriever retriever() {
        return retriever;
    }

    /** Top-{@code k} hits for every query, in query order. */
    public List<List<Hit>> retrieveAll(List<RetrievalQuery> queries, int k) throws IOException {
        return map(queries, q -> retriever.retrieve(q, k));
    }

    /** Applies {@code fn} to every item on the pool, in contiguous chunks; results keep item order. */
    public <T, R> List<R> map(List<T> items, IoFunction<T, R> fn) throws IOException {
        int n = items.size();
        if (n == 0) return List.of();
        int chunks = Math.min(n, threads * 4);
        List<Future<List<R>>> futures = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            Callable<List<R>> task = () -> {
                List<R> out = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) out.add(fn.apply(items.get(i)));
                return out;
            };
            futures.add(pool.submit(task));
        }
        List<R> all = new ArrayList<>(n);
        try {
            for (Future<List<R>> f : futures) all.addAll(f.get());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IOException("batch retrieval interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IOException("batch retrieval failed", c);
        }
        return all;
    }

    /** A function that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IoFunction<T, R> {
        R apply(T t) throws IOException;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
