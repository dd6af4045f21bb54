package org.tga4j.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;

/** Dev experiment: per query, time, k-th score ties, total matches. Sorted by time, slowest printed. */
public final class TieStats {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int queries = Integer.parseInt(args[1]);
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        try (CaptionIndex index = CaptionIndex.open(dir)) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < queries; i++) texts.add(qgen.caption(i).text());
            for (int rep = 0; rep < 3; rep++) for (String t : texts) index.searcher().search(index.textQuery(t), new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10));
            List<long[]> rows = new ArrayList<>();
            for (int i = 0; i < queries; i++) {
                Query q = index.textQuery(texts.get(i));
                long s = System.nanoTime();
                TopFieldDocs td = index.searcher().search(q, new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10));
                long ns = System.nanoTime() - s;
                float kth = td.scoreDocs.length < 10 ? 0 : (Float) ((FieldDoc) td.scoreDocs[9]).fields[0];
                long[] c = new long[3];
                index.searcher().search(q, new SimpleCollector() {
                    Scorable sc;
                    public void setScorer(Scorable scorer) { sc = scorer; }
                    public void collect(int doc) throws IOException {
                        float f = sc.score();
                        c[0]++;
                        if (f == kth) c[1]++;
                        if (f >= kth) c[2]++;
                    }
                    public ScoreMode scoreMode() { return ScoreMode.COMPLETE; }
                });
                rows.add(new long[] {ns / 1000, c[0], c[1], c[2], i});
            }
            rows.sort((a, b) -> Long.compare(b[0], a[0]));
            long tieSum = 0;
            for (long[] r : rows) tieSum += r[2];
            System.out.println("mean ties at k-th score: " + tieSum / (double) queries);
            for (int j = 0; j < rows.size(); j += (j < 40 ? 1 : rows.size() / 20)) {
                long[] r = rows.get(j);
                System.out.printf("%6d µs matches %7d tiesAtKth %6d >=kth %6d  %s%n", r[0], r[1], r[2], r[3], texts.get((int) r[4]));
            }
        }
    }
}
