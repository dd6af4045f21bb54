package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/**
 * A committed caption index opened for search: one shared {@link IndexSearcher} (thread-safe) with the BM25
 * parameters the index was built with. Hands out {@link Retriever}s: {@link #bm25()}, {@link #dense(Embedder)},
 * {@link #hybrid(Embedder)}.
 */
public final class CaptionIndex implements AutoCloseable {

    private final Path path;
    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final ExecutorService searchPool;
    private final IndexMetadata metadata;
    private final Analyzer analyzer;
    private volatile HeapBm25Searcher heapBm25;

    private CaptionIndex(Path path, FSDirectory directory, DirectoryReader reader, IndexMetadata metadata, int searchThreads) {
        this.path = path;
        this.directory = directory;
        this.reader = reader;
        this.metadata = metadata;
        this.analyzer = CaptionSchema.newAnalyzer(metadata.analyzer());
        if (searchThreads > 1) {
            this.searchPool = Executors.newFixedThreadPool(searchThreads, r -> {
                Thread t = new Thread(r, "tga-search");
                t.setDaemon(true);
                return t;
            });
            this.searcher = new SlicedSearcher(reader, searchPool, searchThreads);
        } else {
            this.searchPool = null;
            this.searcher = new IndexSearcher(reader);
        }
        this.searcher.setSimilarity(new BM25Similarity(metadata.k1(), metadata.b()));
        this.searcher.setQueryCache(null); // caption queries rarely repeat: caching them only adds latency spikes
    }

    /** Searches {@code threads} slices of about equal doc counts (segments cut where needed) in parallel. */
    private static final class SlicedSearcher extends IndexSearcher {
        private final int threads;

        SlicedSearcher(DirectoryReader reader, ExecutorService pool, int threads) {
            super(reader, pool);
            this.threads = threads;
        }

        @Override
        protected LeafSlice[] slices(List<LeafReaderContext> leaves) {
            int maxDoc = 0;
            for (LeafReaderContext l : leaves) maxDoc += l.reader().maxDoc();
            int n = Math.max(1, threads); // slices() may run before this constructor has set threads
            int perSlice = Math.max(1, (maxDoc + n - 1) / n);
            // walk the segments in order, cutting a new slice every perSlice docs (a slice may end inside a segment)
            List<LeafSlice> slices = new ArrayList<>(n);
            List<LeafReaderContextPartition> current = new ArrayList<>();
            int room = perSlice;
            for (LeafReaderContext leaf : leaves) {
                int max = leaf.reader().maxDoc();
                for (int from = 0; from < max; ) {
                    int take = Math.min(room, max - from);
                    current.add(take == max ? LeafReaderContextPartition.createForEntireSegment(leaf)
                            : LeafReaderContextPartition.createFromAndTo(leaf, from, from + take));
                    from += take;
                    room -= take;
                    if (room == 0) {
                        slices.add(new LeafSlice(current));
                        current = new ArrayList<>();
                        room = perSlice;
                    }
                }
            }
            if (!current.isEmpty()) slices.add(new LeafSlice(current));
            return slices.toArray(new LeafSlice[0]);
        }
    }

    /**
     * Opens the latest commit of the index at {@code dir}; each query runs on the calling thread.
     *
     * @throws IOException when {@code dir} holds no committed caption index
     */
    public static CaptionIndex open(Path dir) throws IOException {
        return open(dir, 1);
    }

    /**
     * Opens the latest commit of the index at {@code dir}, searching every query in {@code searchThreads} parallel
     * slices of the index (lower single-query latency when cores are free; batch retrieval already keeps every core
     * busy with whole queries and gains nothing from it).
     *
     * @throws IOException when {@code dir} holds no committed caption index
     */
    public static CaptionIndex open(Path dir, int searchThreads) throws IOException {
        if (searchThreads < 1) throw new IllegalArgumentException("searchThreads must be >= 1, got " + searchThreads);
        if (!Files.isDirectory(dir)) throw new IOException("no caption index at " + dir + " (not a directory)");
        FSDirectory directory = FSDirectory.open(dir);
        try {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IOException("no committed caption index at " + dir + " (run tga index first)");
            }
            DirectoryReader reader = DirectoryReader.open(directory);
            try {
                IndexMetadata meta = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData(), dir);
                return new CaptionIndex(dir, directory, reader, meta, searchThreads);
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** What the index was built with, from its commit. */
    public IndexMetadata metadata() {
        return metadata;
    }

    /** Number of captions. */
    public int size() {
        return reader.numDocs();
    }

    /** BM25 over the analysed caption text. */
    public Retriever bm25() {
        return new Bm25Retriever(this);
    }

    /** HNSW kNN over the vector field; {@code embedder} must be the one the index was built with. */
    public Retriever dense(Embedder embedder) {
        return new DenseRetriever(this, checkEmbedder(embedder));
    }

    /** Reciprocal-rank fusion of BM25 and dense (k=60, 100 candidates from each). */
    public Retriever hybrid(Embedder embedder) {
        return hybrid(embedder, ReciprocalRankFusion.DEFAULT_K, 100);
    }

    /** Reciprocal-rank fusion of BM25 and dense with explicit RRF constant and per-retriever candidate depth. */
    public Retriever hybrid(Embedder embedder, int rrfK, int depth) {
        return new HybridRetriever(bm25(), dense(embedder), rrfK, depth);
    }

    /** The caption stored under {@code id}, if any. */
    public Optional<Hit> get(String id) throws IOException {
        TopDocs td = searcher.search(new TermQuery(new Term(CaptionSchema.ID, id)), 1);
        if (td.scoreDocs.length == 0) return Optional.empty();
        return Optional.of(load(td.scoreDocs[0].doc, Float.NaN, "get"));
    }

    private Embedder checkEmbedder(Embedder e) {
        Objects.requireNonNull(e, "embedder");
        if (!metadata.hasVectors()) {
            throw new IllegalStateException("index at " + path + " has no vectors (built without an embedder); dense retrieval needs one");
        }
        if (!metadata.embedder().equals(e.name()) || metadata.dimension() != e.dimension()) {
            throw new IllegalArgumentException("index at " + path + " holds vectors of embedder " + metadata.embedder()
                    + " (dim " + metadata.dimension() + "), query embedder is " + e.name() + " (dim " + e.dimension() + ")");
        }
        return e;
    }

    IndexSearcher searcher() {
        return searcher;
    }

    /**
     * The analysed terms of a text with their counts, in first-seen order; a text with more distinct terms than
     * Lucene's clause limit keeps the first ones (enough to rank).
     */
    Map<String, Integer> queryTerms(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int max = IndexSearcher.getMaxClauseCount() - 1; // one below Lucene's clause limit
        try (TokenStream ts = analyzer.tokenStream(CaptionSchema.TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                String t = term.toString();
                if (counts.size() < max || counts.containsKey(t)) counts.merge(t, 1, Integer::sum);
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing query text failed", e);
        }
        return counts;
    }

    /**
     * The BM25 query for a text: the analysed terms as SHOULD clauses (a repeated term is boosted by its count),
     * built term by term so that no character of the text is ever interpreted as query syntax.
     */
    Query textQuery(String text) {
        Map<String, Integer> counts = queryTerms(text);
        if (counts.isEmpty()) return new MatchNoDocsQuery("query has no indexable terms");
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Query tq = new TermQuery(new Term(CaptionSchema.TEXT, e.getKey()));
            b.add(e.getValue() == 1 ? tq : new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    /**
     * The in-memory BM25 searcher, built on first use (1-2 s on 2 cores and ~80 MB of heap per million captions: see
     * {@link HeapBm25Searcher}).
     */
    HeapBm25Searcher heapBm25() throws IOException {
        HeapBm25Searcher h = heapBm25;
        if (h == null) {
            synchronized (this) {
                h = heapBm25;
                if (h == null) heapBm25 = h = new HeapBm25Searcher(searcher, searchPool);
            }
        }
        return h;
    }

    /** The hit for top-level doc {@code doc}: id and raw text from their binary doc values. */
    Hit load(int doc, double score, String retriever) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        int d = doc - leaf.docBase;
        return new Hit(value(leaf, CaptionSchema.ID, d), value(leaf, CaptionSchema.TEXT, d), score, retriever);
    }

    private String value(LeafReaderContext leaf, String field, int doc) throws IOException {
        BinaryDocValues dv = leaf.reader().getBinaryDocValues(field);
        if (dv == null || !dv.advanceExact(doc)) {
            throw new IOException("caption index at " + path + ": document " + (leaf.docBase + doc) + " has no " + field + " doc value");
        }
        return dv.binaryValue().utf8ToString();
    }

    List<Hit> load(ScoreDoc[] docs, String retriever, ScoreToDouble score) throws IOException {
        List<Hit> hits = new ArrayList<>(docs.length);
        for (ScoreDoc sd : docs) hits.add(load(sd.doc, score.of(sd), retriever));
        return hits;
    }

    /** BM25 hits for ranked entries. */
    List<Hit> load(List<TopK.Entry> ranked) throws IOException {
        List<Hit> hits = new ArrayList<>(ranked.size());
        for (TopK.Entry e : ranked) hits.add(load(e.doc(), e.score(), Bm25Retriever.NAME));
        return hits;
    }

    interface ScoreToDouble {
        double of(ScoreDoc sd);
    }

    @Override
    public void close() throws IOException {
        if (searchPool != null) searchPool.shutdownNow();
        try {
            reader.close();
        } finally {
            directory.close();
        }
    }
}
