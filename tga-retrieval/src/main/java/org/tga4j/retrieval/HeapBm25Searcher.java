package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.Similarity;

/**
 * Exact BM25 top-k over the caption text, ranked by (score, id), computed from {@link HeapPostings} copies of the
 * index's postings with {@link MaxScoreTopK}: the same hits, scores and order as a Lucene {@code BooleanQuery} of
 * SHOULD term clauses (a repeated term boosted by its count) sorted by score then id. The postings are renumbered
 * in memory ({@link DocOrder}) so that block bounds skip most of the index, the per-posting work is array reads
 * instead of block decoding, ties compare id ranks held in memory ({@link IdRanks}) instead of ids read from the
 * index, and the per-query statistics come from memory instead of terms-dictionary seeks. Costs ~80 MB of heap per
 * million captions.
 *
 * <p>Built once per opened index (the reader is a fixed commit), on first use. Thread-safe.
 */
final class HeapBm25Searcher {
    private final IndexSearcher searcher;
    private final ExecutorService pool;
    private final List<LeafReaderContext> leaves;
    private final HeapPostings[] segments;
    private final int[] docBase;
    private final CollectionStatistics collection;
    /** The distinct encoded norms of all segments' documents. */
    private final byte[] norms;
    private final ThreadLocal<MaxScoreTopK> scratch = ThreadLocal.withInitial(MaxScoreTopK::new);

    /**
     * @param searcher the index's searcher (its similarity and, when {@code pool != null}, its number of slices are
     *     used)
     * @param pool runs the slices of one query in parallel, or {@code null} to search on the calling thread
     */
    HeapBm25Searcher(IndexSearcher searcher, ExecutorService pool) throws IOException {
        this.searcher = searcher;
        this.pool = pool;
        this.leaves = searcher.getIndexReader().leaves();
        this.segments = new HeapPostings[leaves.size()];
        this.docBase = new int[leaves.size()];
        // the id ranks are sorted on another core (if one is free) while this thread copies the postings
        CompletableFuture<int[]> idRanks = CompletableFuture.supplyAsync(() -> {
            try {
                return IdRanks.of(searcher.getIndexReader());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (int i = 0; i < segments.length; i++) {
            docBase[i] = leaves.get(i).docBase;
            segments[i] = HeapPostings.load(leaves.get(i).reader(), CaptionSchema.TEXT);
        }
        int[] idRank;
        try {
            idRank = idRanks.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw e;
        }
        for (int i = 0; i < segments.length; i++) segments[i].setIdRanks(idRank, docBase[i]);
        this.collection = searcher.collectionStatistics(CaptionSchema.TEXT);
        boolean[] seen = new boolean[256];
        for (HeapPostings p : segments) for (byte n : p.norms()) seen[n & 0xFF] = true;
        int distinct = 0;
        for (boolean b : seen) if (b) distinct++;
        this.norms = new byte[distinct];
        for (int n = 0, i = 0; n < 256; n++) if (seen[n]) norms[i++] = (byte) n;
    }

    /**
     * The best {@code n} documents for the analysed query terms (term → count), best first.
     */
    List<TopK.Entry> search(Map<String, Integer> terms, int n) throws IOException {
        List<MaxScoreTopK.QueryTerm> query = queryTerms(terms);
        if (query.isEmpty()) return List.of();
        MaxScoreTopK.Plan plan = MaxScoreTopK.plan(segments, docBase, query);
        if (pool == null) {
            TopK top = new TopK(n);
            scratch.get().search(plan, 0, 1, top);
            return top.ranked();
        }
        int slices = searcher.getSlices().length;
        AtomicInteger kth = new AtomicInteger(TopK.NO_SCORE);
        List<Future<TopK>> futures = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int slice = s;
            futures.add(pool.submit(() -> searchSlice(plan, slice, slices, n, kth)));
        }
        TopK top = new TopK(n);
        try {
            top.addAll(searchSlice(plan, 0, slices, n, kth)); // this thread takes the first slice
            for (Future<TopK> f : futures) top.addAll(f.get());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IOException("search interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException("search failed", e.getCause());
        } catch (RuntimeException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return top.ranked();
    }

    /**
     * Slice {@code slice} of {@code slices}: every {@code slices}-th window of the plan's order, so that each slice
     * starts with some of the best windows, and the slices' windows together are all of them. The slices share the
     * best k-th score any of them has reached ({@code kth}), so each skips what another has already outscored.
     */
    private TopK searchSlice(MaxScoreTopK.Plan plan, int slice, int slices, int n, AtomicInteger kth) {
        TopK top = TopK.sharing(n, kth);
        scratch.get().search(plan, slice, slices, top);
        return top;
    }

    /** Lucene's term scorers for the query: index-wide statistics summed over segments, boost = repeat count. */
    private List<MaxScoreTopK.QueryTerm> queryTerms(Map<String, Integer> terms) throws IOException {
        List<MaxScoreTopK.QueryTerm> out = new ArrayList<>(terms.size());
        if (collection == null) return out;
        Similarity sim = searcher.getSimilarity();
        for (Map.Entry<String, Integer> e : terms.entrySet()) {
            long docFreq = 0;
            long ttf = 0;
            for (HeapPostings s : segments) {
                HeapPostings.TermPostings p = s.get(e.getKey());
                if (p != null) {
                    docFreq += p.docFreq();
                    ttf += p.totalTermFreq();
                }
            }
            if (docFreq == 0) continue; // no document ever had the term: Lucene's term query scores nothing either
            TermStatistics stats = searcher.termStatistics(new Term(CaptionSchema.TEXT, e.getKey()), Math.toIntExact(docFreq), ttf);
            out.add(new MaxScoreTopK.QueryTerm(e.getKey(), sim.scorer(e.getValue(), collection, stats), norms));
        }
        return out;
    }
}
