package org.tga4j.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.Weight;

/** Dev experiment: time search variants interleaved on the same queries. */
public final class Variants {
    interface V { Object run(Query q) throws Exception; }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int queries = Integer.parseInt(args[1]);
        SyntheticCaptions qgen = new SyntheticCaptions(2);
        try (CaptionIndex index = CaptionIndex.open(dir)) {
            IndexSearcher s = index.searcher();
            List<Query> qs = new ArrayList<>();
            for (int i = 0; i < queries; i++) qs.add(index.textQuery(qgen.caption(i).text()));
            V maxscore = q -> s.search(q, new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10));
            V topscore = q -> s.search(q, new TopScoreDocCollectorManager(10, null, 10));
            V wand = q -> {
                Weight w = s.createWeight(s.rewrite(q), ScoreMode.TOP_SCORES, 1f);
                TopFieldCollector c = new TopFieldCollectorManager(CaptionSchema.SCORE_THEN_ID, 10, null, 10).newCollector();
                for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                    ScorerSupplier ss = w.scorerSupplier(ctx);
                    if (ss == null) continue;
                    Scorer sc = ss.get(Long.MAX_VALUE);
                    LeafCollector lc = c.getLeafCollector(ctx);
                    lc.setScorer(sc);
                    DocIdSetIterator it = sc.iterator();
                    for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) lc.collect(d);
                }
                return c.topDocs();
            };
            V[] vs = {maxscore, topscore, wand};
            String[] names = {"maxscore+field", "maxscore+topscoredoc", "wand+field"};
            // equality check wand vs maxscore
            int bad = 0;
            for (int i = 0; i < Math.min(2000, queries); i++) {
                TopFieldDocs a = (TopFieldDocs) maxscore.run(qs.get(i)), b = (TopFieldDocs) wand.run(qs.get(i));
                for (int j = 0; j < a.scoreDocs.length; j++) if (a.scoreDocs[j].doc != b.scoreDocs[j].doc || !((FieldDoc) a.scoreDocs[j]).fields[0].equals(((FieldDoc) b.scoreDocs[j]).fields[0])) { bad++; break; }
            }
            System.out.println("wand mismatches: " + bad);
            for (int r = 0; r < 4; r++) {
                long[][] t = new long[vs.length][queries];
                for (int i = 0; i < queries; i++) {
                    for (int v = 0; v < vs.length; v++) {
                        int vv = (v + i) % vs.length;
                        long st = System.nanoTime();
                        vs[vv].run(qs.get(i));
                        t[vv][i] = System.nanoTime() - st;
                    }
                }
                StringBuilder sb = new StringBuilder("round " + r);
                for (int v = 0; v < vs.length; v++) sb.append(" | ").append(names[v]).append(' ').append(OracleAb.pct(t[v]));
                System.out.println(sb + " | load " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
            }
        }
    }
}
