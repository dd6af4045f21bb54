package org.tga4j.retrieval;

/**
 * Numbers measured by {@link RetrievalBenchmark}.
 *
 * @param captions corpus size
 * @param indexThreads indexing threads
 * @param indexSeconds wall time to index and commit
 * @param captionsPerSecond indexing throughput
 * @param queries latency-measured queries
 * @param p50Micros median single-query latency (k=10), microseconds
 * @param p99Micros 99th-percentile single-query latency (k=10), microseconds
 * @param searchThreads threads one query is searched on in the parallel-slices measurement
 * @param p50ParallelMicros median single-query latency with the query searched in parallel slices
 * @param p99ParallelMicros 99th-percentile single-query latency with the query searched in parallel slices
 * @param batchThreads threads used by batch retrieval
 * @param batchQueriesPerSecond batch retrieval throughput (k=10)
 * @param bm25OpenSeconds time the first BM25 query of a freshly opened index spends building the in-memory searcher
 *     (postings copied and renumbered, id ranks)
 * @param indexBytes index size on disk
 * @param peakHeapBytes peak heap used during the run
 * @param cores available processors
 * @param javaVersion the JVM
 */
public record BenchResult(
        long captions, int indexThreads, double indexSeconds, double captionsPerSecond, int queries, double p50Micros,
        double p99Micros, int searchThreads, double p50ParallelMicros, double p99ParallelMicros, int batchThreads,
        double batchQueriesPerSecond, double bm25OpenSeconds, long indexBytes, long peakHeapBytes, int cores, String javaVersion) {}
