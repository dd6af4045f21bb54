package org.tga4j.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Development harness (not a test, not the benchmark): on an existing index (e.g. {@code tga bench retrieval
 * --keep-index}), checks that the BM25 retriever returns exactly what {@link ReferenceBm25} returns, then times both
 * interleaved query by query (A/B in the same process and conditions). Args: INDEX [queries] [rounds].
 */
public final class QueryAb {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String only = System.getProperty("only", "");
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        List<RetrievalQuery> qs = new ArrayList<>();
        for (int i = 0; i < 20_000 + queries; i++) qs.add(RetrievalQuery.text(qgen.caption(i).text()));
        try (CaptionIndex index = CaptionIndex.open(dir)) {
            Retriever a = new ReferenceBm25(index, false);
            Retriever b = index.bm25();
            Retriever exact = new ReferenceBm25(index, true);
            System.err.println("segments: " + index.searcher().getIndexReader().leaves().size());
            int mismatches = 0;
            for (int i = 0; i < 2_000; i++) {
                if (!exact.retrieve(qs.get(i), 10).equals(b.retrieve(qs.get(i), 10))) mismatches++;
            }
            System.err.println("mismatches in 2000 queries: " + mismatches);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long m0 = rt.totalMemory() - rt.freeMemory();
            long h0 = System.nanoTime();
            HeapBm25Searcher extra = new HeapBm25Searcher(index.searcher(), null);
            long h1 = System.nanoTime();
            System.gc();
            long m1 = rt.totalMemory() - rt.freeMemory();
            System.err.printf("in-heap postings: built in %.0f ms, %.1f MB retained%n", (h1 - h0) / 1e6, (m1 - m0) / 1e6);
            if (extra.search(index.queryTerms("a red car"), 1).isEmpty()) System.err.println("(no hit for 'a red car')");
            List<RetrievalQuery> warm = qs.subList(0, 20_000);
            for (int rep = 0; rep < 2; rep++) {
                for (RetrievalQuery q : warm) {
                    if (!only.equals("b")) a.retrieve(q, 10);
                    if (!only.equals("a")) b.retrieve(q, 10);
                }
            }
            List<RetrievalQuery> timed = qs.subList(20_000, 20_000 + queries);
            for (int r = 0; r < rounds; r++) {
                long[] ta = new long[queries], tb = new long[queries];
                for (int i = 0; i < queries; i++) {
                    RetrievalQuery q = timed.get(i);
                    boolean aFirst = (i & 1) == 0;
                    if (aFirst && !only.equals("b")) ta[i] = time(a, q);
                    if (!only.equals("a")) tb[i] = time(b, q);
                    if (!aFirst && !only.equals("b")) ta[i] = time(a, q);
                }
                System.out.printf("round %d  reference %s   optimised %s   load %s%n", r, pct(ta), pct(tb), load());
            }
        }
    }

    private static long time(Retriever r, RetrievalQuery q) throws Exception {
        long s = System.nanoTime();
        r.retrieve(q, 10);
        return System.nanoTime() - s;
    }

    private static String pct(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        int n = s.length;
        return String.format("p50 %5.0f µs p99 %5.0f µs mean %5.0f µs", s[(n - 1) / 2] / 1e3,
                s[(int) Math.ceil(0.99 * (n - 1))] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3);
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
