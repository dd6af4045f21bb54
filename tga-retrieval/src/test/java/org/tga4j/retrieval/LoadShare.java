package org.tga4j.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Dev experiment: time of the in-heap search alone vs search + loading the 10 hits. */
public final class LoadShare {
    public static void main(String[] args) throws Exception {
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        try (CaptionIndex index = CaptionIndex.open(Path.of(args[0]))) {
            List<Map<String, Integer>> qs = new ArrayList<>();
            for (int i = 0; i < 30000; i++) qs.add(index.queryTerms(qgen.caption(i).text()));
            HeapBm25Searcher h = index.heapBm25();
            for (int i = 0; i < 20000; i++) index.load(h.search(qs.get(i), 10));
            for (int r = 0; r < 3; r++) {
                long[] a = new long[10000], b = new long[10000];
                for (int i = 0; i < 10000; i++) {
                    long s = System.nanoTime();
                    List<TopK.Entry> e = h.search(qs.get(20000 + i), 10);
                    long m = System.nanoTime();
                    index.load(e);
                    long t = System.nanoTime();
                    a[i] = m - s;
                    b[i] = t - s;
                }
                System.out.println("search " + OracleAb.pct(a) + " | search+load " + OracleAb.pct(b) + " | load " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
            }
        }
    }
}
