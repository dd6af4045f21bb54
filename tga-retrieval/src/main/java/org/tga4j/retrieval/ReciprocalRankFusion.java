package org.tga4j.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion (Cormack, Clarke, Büttcher 2009): {@code score(d) = Σ_r 1 / (k + rank_r(d))} with
 * 1-based ranks, summed over the rankings that contain {@code d}. Ties are ordered by id ascending.
 */
public final class ReciprocalRankFusion {
    /** The constant from the original paper. */
    public static final int DEFAULT_K = 60;
    public static final String NAME = "hybrid-rrf";

    private ReciprocalRankFusion() {}

    /**
     * Fuses rankings (each best first, ids unique within a ranking) into the top {@code topK} hits, named
     * {@value #NAME}.
     */
    public static List<Hit> fuse(List<List<Hit>> rankings, int rrfK, int topK) {
        if (rrfK < 1) throw new IllegalArgumentException("RRF k must be >= 1, got " + rrfK);
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (List<Hit> ranking : rankings) {
            for (int i = 0; i < ranking.size(); i++) {
                Hit h = ranking.get(i);
                scores.merge(h.id(), 1.0 / (rrfK + i + 1), Double::sum);
                texts.putIfAbsent(h.id(), h.text());
            }
        }
        List<Hit> fused = new ArrayList<>(scores.size());
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            fused.add(new Hit(e.getKey(), texts.get(e.getKey()), e.getValue(), NAME));
        }
        fused.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::id));
        return fused.size() > topK ? List.copyOf(fused.subList(0, topK)) : fused;
    }
}
