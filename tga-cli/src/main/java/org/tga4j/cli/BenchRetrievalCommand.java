package org.tga4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tga4j.retrieval.BenchResult;
import org.tga4j.retrieval.RetrievalBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tga bench retrieval}: indexing throughput, query latency, batch throughput, index size, peak heap. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Index N synthetic captions, then measure query latency p50/p99 at k=10 (on the calling thread, and with each "
                + "query searched in parallel slices on all cores), batch queries/s on all cores, and the time to build the "
                + "in-memory BM25 searcher.")
public final class BenchRetrievalCommand implements Callable<Integer> {

    @Option(names = "--captions", defaultValue = "1000000", description = "corpus size (default ${DEFAULT-VALUE})")
    long captions;

    @Option(names = "--queries", defaultValue = "10000", description = "timed single queries (default ${DEFAULT-VALUE}); batch uses 10x")
    int queries;

    @Option(names = "--threads", description = "indexing / batch threads (default: all cores)")
    Integer threads;

    @Option(names = "--out", defaultValue = "tga-out/bench", paramLabel = "DIR", description = "where retrieval.json goes (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--keep-index", description = "keep the benchmark index (default: deleted after measuring)")
    boolean keepIndex;

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Files.createDirectories(out);
        Path idx = out.resolve("retrieval-index");
        deleteTree(idx);
        BenchResult r;
        try {
            r = new RetrievalBenchmark(captions, n, queries).run(idx, msg -> System.err.println("bench: " + msg));
        } finally {
            if (!keepIndex) deleteTree(idx);
        }
        System.out.println();
        System.out.printf("%-34s %s%n", "corpus", String.format("%,d synthetic captions", r.captions()));
        System.out.printf("%-34s %,.0f captions/s (%.1f s, %d threads)  [floor >= 150,000]%n", "indexing", r.captionsPerSecond(), r.indexSeconds(), r.indexThreads());
        System.out.printf("%-34s %.0f µs / %.0f µs  [p99 floor < 1,000]%n", "query p50 / p99 (k=10), 1 thread", r.p50Micros(), r.p99Micros());
        System.out.printf("%-34s %.0f µs / %.0f µs  [p99 floor < 1,000]%n",
                "query p50 / p99, " + r.searchThreads() + " slices", r.p50ParallelMicros(), r.p99ParallelMicros());
        System.out.printf("%-34s %,.0f queries/s (%d threads)%n", "batch retrieval (k=10)", r.batchQueriesPerSecond(), r.batchThreads());
        System.out.printf("%-34s %,.2f s (first BM25 query after open)%n", "in-memory BM25 searcher built in", r.bm25OpenSeconds());
        System.out.printf("%-34s %,.1f MB%n", "index size on disk", r.indexBytes() / 1e6);
        System.out.printf("%-34s %,.1f MB (includes the in-memory corpus)%n", "peak heap", r.peakHeapBytes() / 1e6);
        System.out.printf("%-34s %d cores, %s%n", "machine", r.cores(), r.javaVersion());
        Path json = out.resolve("retrieval.json");
        Path tmp = out.resolve(".retrieval.json.tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), r);
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + json);
        return 0;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
