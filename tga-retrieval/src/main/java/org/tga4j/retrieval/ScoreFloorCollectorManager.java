package org.tga4j.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FilterLeafCollector;
import org.apache.lucene.search.FilterScorable;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/**
 * Wraps a top-k collector manager so that the scorer is told, from the first document on, that no document scoring
 * below {@code floor} can compete; the wrapped collector may later raise that bar, never lower it.
 *
 * <p>Exact when {@code floor} is at most the k-th best score of the search (e.g. the k-th best score of k documents
 * that the same query matches): every document of the true top k then scores {@code >= floor}, and Lucene's
 * scorers only skip documents scoring strictly below the minimum competitive score, so ties at the floor are still
 * collected and ordered by the collector.
 */
final class ScoreFloorCollectorManager<C extends Collector, T> implements CollectorManager<ScoreFloorCollectorManager.Floored<C>, T> {
    private final CollectorManager<C, T> in;
    private final float floor;

    ScoreFloorCollectorManager(CollectorManager<C, T> in, float floor) {
        this.in = in;
        this.floor = floor;
    }

    @Override
    public Floored<C> newCollector() throws IOException {
        return new Floored<>(in.newCollector(), floor);
    }

    @Override
    public T reduce(Collection<Floored<C>> collectors) throws IOException {
        List<C> inner = new ArrayList<>(collectors.size());
        for (Floored<C> f : collectors) inner.add(f.in);
        return in.reduce(inner);
    }

    /** The wrapped collector with the floor applied to every leaf's scorer. */
    static final class Floored<C extends Collector> implements Collector {
        private final C in;
        private final float floor;

        Floored(C in, float floor) {
            this.in = in;
            this.floor = floor;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            return new FilterLeafCollector(in.getLeafCollector(context)) {
                @Override
                public void setScorer(Scorable scorer) throws IOException {
                    scorer.setMinCompetitiveScore(floor);
                    super.setScorer(new FilterScorable(scorer) {
                        @Override
                        public void setMinCompetitiveScore(float minScore) throws IOException {
                            in.setMinCompetitiveScore(Math.max(minScore, floor));
                        }
                    });
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return in.scoreMode();
        }
    }
}
