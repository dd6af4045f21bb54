package org.tga4j.retrieval;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Dev experiment: two versions of the MaxScore engine, interleaved, timed in thread CPU time and wall time. */
public final class EngineAb {
    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        try (CaptionIndex index = CaptionIndex.open(Path.of(args[0]))) {
            HeapBm25Searcher h = index.heapBm25();
            List<List<MaxScoreTopK.QueryTerm>> qs = new ArrayList<>();
            for (int i = 0; i < 30000; i++) qs.add(h.queryTerms(index.queryTerms(qgen.caption(i).text())));
            MaxScoreTopK a = new MaxScoreTopK();
            MaxScoreTopK b = new MaxScoreTopK();
            HeapPostings[] segs = h.segments();
            for (int r = 0; r < 4; r++) {
                int from = r == 0 ? 0 : 20000, to = r == 0 ? 20000 : 30000;
                long[] ca = new long[to - from], cb = new long[to - from], wa = new long[to - from], wb = new long[to - from];
                for (int i = from; i < to; i++) {
                    for (int v = 0; v < 2; v++) {
                        boolean isA = ((i + v) & 1) == 0;
                        long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                        TopK top = new TopK(10);
                        for (int s = 0; s < segs.length; s++) {
                            top.setLeaf(h.leaves().get(s));
                            if (isA) a.search(segs[s], qs.get(i), 0, segs[s].maxDoc(), top);
                            else b.search(segs[s], qs.get(i), 0, segs[s].maxDoc(), top);
                        }
                        top.ranked();
                        long c1 = mx.getCurrentThreadCpuTime() - c0, w1 = System.nanoTime() - w0;
                        if (isA) { ca[i - from] = c1; wa[i - from] = w1; } else { cb[i - from] = c1; wb[i - from] = w1; }
                    }
                }
                if (r > 0) System.out.println("current cpu " + OracleAb.pct(ca) + " wall " + OracleAb.pct(wa) + " || V1 cpu " + OracleAb.pct(cb) + " wall " + OracleAb.pct(wb) + " | load " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().substring(0, 14));
            }
        }
    }
}
