package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.tga4j.datasets.CaptionRecord;

/**
 * The retrieval benchmark: after a JIT warm-up (a throwaway index of as many other captions, at most 1M), indexes {@code n}
 * synthetic captions from memory (timed up to the final commit), then measures single-query latency (p50/p99 at
 * k=10, after 60k warm-up queries (20k more for the sliced searcher), on queries not among the warm-up ones; once
 * on the calling thread, once with each query searched in parallel slices on the given threads), batch throughput on the given threads, the time the
 * first BM25 query spends building the in-memory searcher, index size and peak heap.
 */
public final class RetrievalBenchmark {
    private static final long CORPUS_SEED = 1;
    private static final long QUERY_SEED = 2;
    private static final long WARMUP_SEED = 3;
    private static final long WARMUP_CAPTIONS = 1_000_000;

    private final long captions;
    private final int threads;
    private final int queries;

    /**
     * @param captions corpus size
     * @param threads indexing and batch threads
     * @param queries number of timed single queries (the batch run uses 10x as many)
     */
    public RetrievalBenchmark(long captions, int threads, int queries) {
        if (captions < 1) throw new IllegalArgumentException("captions must be >= 1");
        this.captions = captions;
        this.threads = threads;
        this.queries = queries;
    }

    /** Runs the benchmark with the index in {@code indexDir} (must be empty or absent). */
    public BenchResult run(Path indexDir, java.util.function.Consumer<String> log) throws IOException {
        if (Files.isDirectory(indexDir)) {
            try (Stream<Path> s = Files.list(indexDir)) {
                if (s.findAny().isPresent()) throw new IOException("benchmark index directory is not empty: " + indexDir);
            }
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        SyntheticCaptions gen = new SyntheticCaptions(CORPUS_SEED);
        log.accept("generating " + captions + " synthetic captions…");
        List<CaptionRecord> corpus = new ArrayList<>((int) Math.min(captions, Integer.MAX_VALUE));
        for (long i = 0; i < captions; i++) corpus.add(gen.caption(i));

        IndexSettings settings = IndexSettings.defaults().withThreads(threads);
        // JIT warm-up: build a throwaway index of other captions first, so the timed run measures compiled code
        long warm = Math.min(WARMUP_CAPTIONS, captions);
        log.accept("warm-up: indexing " + warm + " other captions into a throwaway index…");
        Path warmDir = Files.createTempDirectory(indexDir.toAbsolutePath().getParent(), ".warmup-index");
        try {
            try (CaptionIndexWriter w = CaptionIndexWriter.open(warmDir, settings, null)) {
                w.addAll(range(new SyntheticCaptions(WARMUP_SEED), 0, warm));
                w.commit();
            }
        } finally {
            deleteTree(warmDir);
        }
        log.accept("indexing on " + threads + " threads…");
        long t0 = System.nanoTime();
        try (CaptionIndexWriter w = CaptionIndexWriter.open(indexDir, settings, null)) {
            w.addAll(corpus.iterator());
            w.commit();
        }
        double indexSeconds = (System.nanoTime() - t0) / 1e9;
        corpus = null;
        long bytes = directorySize(indexDir);

        SyntheticCaptions qgen = new SyntheticCaptions(QUERY_SEED);
        List<RetrievalQuery> qs = new ArrayList<>(queries * 10);
        for (int i = 0; i < queries * 10; i++) qs.add(RetrievalQuery.text(qgen.caption(i).text()));

        double p50, p99, p50Parallel, p99Parallel, qps, openSeconds;
        try (CaptionIndex index = CaptionIndex.open(indexDir);
                CaptionIndex parallel = CaptionIndex.open(indexDir, threads);
                BatchRetriever batch = new BatchRetriever(index.bm25(), threads)) {
            log.accept("building the in-memory BM25 searcher…");
            long o0 = System.nanoTime();
            index.heapBm25(); // what the first query of a freshly opened index does
            openSeconds = (System.nanoTime() - o0) / 1e9;
            Retriever bm25 = index.bm25();
            Retriever bm25Parallel = parallel.bm25();
            log.accept("warming up…");
            int warmQueries = Math.min(20_000, qs.size() - queries); // timed queries come after these: never seen before
            List<RetrievalQuery> warmQs = qs.subList(0, warmQueries);
            for (int rep = 0; rep < 3; rep++) for (RetrievalQuery q : warmQs) bm25.retrieve(q, 10);
            for (RetrievalQuery q : warmQs) bm25Parallel.retrieve(q, 10); // same scorer code, now also on the pool
            log.accept("timing " + queries + " single queries, on the calling thread…");
            double[] seq = latency(bm25, qs.subList(warmQueries, warmQueries + queries));
            p50 = seq[0];
            p99 = seq[1];
            log.accept("timing " + queries + " single queries, each searched in " + threads + " parallel slices…");
            double[] par = latency(bm25Parallel, qs.subList(warmQueries, warmQueries + queries));
            p50Parallel = par[0];
            p99Parallel = par[1];
            log.accept("batch retrieval of " + qs.size() + " queries on " + threads + " threads…");
            batch.retrieveAll(qs.subList(0, Math.min(qs.size(), 10_000)), 10); // warm the pool
            long b0 = System.nanoTime();
            batch.retrieveAll(qs, 10);
            qps = qs.size() / ((System.nanoTime() - b0) / 1e9);
        }
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        return new BenchResult(captions, threads, indexSeconds, captions / indexSeconds, queries, p50, p99, threads,
                p50Parallel, p99Parallel, threads, qps, openSeconds,
                bytes, peak, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"));
    }

    /** p50 and p99 latency in µs of single k=10 queries, one after the other. */
    private static double[] latency(Retriever r, List<RetrievalQuery> qs) throws IOException {
        int queries = qs.size();
        long[] ns = new long[queries];
        for (int i = 0; i < queries; i++) {
            RetrievalQuery q = qs.get(i);
            long s = System.nanoTime();
            r.retrieve(q, 10);
            ns[i] = System.nanoTime() - s;
        }
        Arrays.sort(ns);
        return new double[] {ns[(int) (0.50 * (queries - 1))] / 1e3, ns[(int) Math.ceil(0.99 * (queries - 1))] / 1e3};
    }

    static long directorySize(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    /** Captions {@code from..to-1} of a generator as an iterator (no list in memory). */
    static Iterator<CaptionRecord> range(SyntheticCaptions gen, long from, long to) {
        return new Iterator<>() {
            long i = from;

            @Override
            public boolean hasNext() {
                return i < to;
            }

            @Override
            public CaptionRecord next() {
                if (i >= to) throw new NoSuchElementException();
                return gen.caption(i++);
            }
        };
    }
}
