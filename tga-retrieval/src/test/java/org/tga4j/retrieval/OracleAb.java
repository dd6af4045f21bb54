package org.tga4j.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;

/** Dev experiment: how fast is the search when seeded with the true k-th score (an upper bound on any seeding)? */
public final class OracleAb {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int queries = Integer.parseInt(args[1]);
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        List<Query> qs = new ArrayList<>();
        try (CaptionIndex index = CaptionIndex.open(dir)) {
            for (int i = 0; i < queries; i++) qs.add(index.textQuery(qgen.caption(i).text()));
            float[] floor = new float[queries];
            for (int i = 0; i < queries; i++) {
                TopFieldDocs td = index.searcher().search(qs.get(i), new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10));
                floor[i] = td.scoreDocs.length < 10 ? 0 : (Float) ((FieldDoc) td.scoreDocs[9]).fields[0];
            }
            for (int r = 0; r < 4; r++) {
                long[] a = new long[queries], b = new long[queries];
                for (int i = 0; i < queries; i++) {
                    long s = System.nanoTime();
                    TopFieldDocs x = index.searcher().search(qs.get(i), new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10));
                    a[i] = System.nanoTime() - s;
                    s = System.nanoTime();
                    TopFieldDocs y = index.searcher().search(qs.get(i), new ScoreFloorCollectorManager<>(new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10), floor[i]));
                    b[i] = System.nanoTime() - s;
                    if (x.scoreDocs.length != y.scoreDocs.length) throw new AssertionError("len " + i);
                    for (int j = 0; j < x.scoreDocs.length; j++) if (x.scoreDocs[j].doc != y.scoreDocs[j].doc) throw new AssertionError("doc " + i);
                }
                System.out.println("plain " + pct(a) + "   oracle-seeded " + pct(b));
            }
        }
    }

    static String pct(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        int n = s.length;
        return String.format("p50 %5.0f p99 %5.0f mean %5.0f", s[(n - 1) / 2] / 1e3, s[(int) Math.ceil(0.99 * (n - 1))] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3);
    }
}
