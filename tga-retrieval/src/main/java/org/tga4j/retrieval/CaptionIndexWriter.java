package org.tga4j.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.tga4j.datasets.CaptionRecord;

/**
 * Builds or extends a caption index on disk.
 *
 * <p>Crash safety comes from Lucene commits: additions become visible only at {@link #commit()}, which writes a
 * new commit point atomically (the {@code segments_N} file is written last). A process killed mid-build leaves the
 * previous commit readable; the next writer deletes the unreferenced files. {@link #close()} without a commit
 * discards the uncommitted additions. Metadata ({@link IndexMetadata}) is stored in the commit's user data.
 *
 * <p>Each caption is added with replace-by-id semantics: adding an id that already exists (in the index or earlier
 * in the same batch) replaces the older caption.
 */
public final class CaptionIndexWriter implements AutoCloseable {

    private static final int BATCH = 512;

    private final Path path;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final IndexSettings settings;
    private final Embedder embedder;
    /**
     * Ids added by {@link #addAll} per routing slot, while the index started empty and only {@code addAll} was
     * used: a first-seen id then needs no replace-by-id delete (plain addDocument, much cheaper). {@code null}
     * once the shortcut is not valid.
     */
    private volatile List<SeenIds> seenBySlot;

    private CaptionIndexWriter(Path path, FSDirectory directory, IndexWriter writer, IndexSettings settings, Embedder embedder) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.settings = settings;
        this.embedder = embedder;
        if (writer.getDocStats().maxDoc == 0) {
            List<SeenIds> sets = new ArrayList<>();
            for (int i = 0; i < settings.threads(); i++) sets.add(new SeenIds());
            this.seenBySlot = sets;
        }
    }

    /**
     * Opens the index at {@code dir}, creating it when it has no commit yet.
     *
     * @param embedder fills the HNSW vector field; {@code null} for a BM25-only index. Appending to an existing
     *     index requires the same embedder (name and dimension) it was built with.
     * @throws IllegalArgumentException when the settings or embedder disagree with an existing index
     * @throws IOException when the index is locked by another writer or cannot be opened
     */
    public static CaptionIndexWriter open(Path dir, IndexSettings settings, Embedder embedder) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Files.createDirectories(dir);
        FSDirectory directory = FSDirectory.open(dir);
        try {
            if (DirectoryReader.indexExists(directory)) {
                IndexMetadata existing =
                        IndexMetadata.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(), dir);
                checkCompatible(dir, existing, settings, embedder);
            }
            Analyzer analyzer = CaptionSchema.newAnalyzer(CaptionSchema.ANALYZER_NAME);
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setSimilarity(new BM25Similarity(settings.k1(), settings.b()))
                    .setRAMBufferSizeMB(settings.ramBufferMb())
                    .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
                    .setUseCompoundFile(false)
                    .setCommitOnClose(false);
            TieredMergePolicy mp = new TieredMergePolicy();
            mp.setSegmentsPerTier(12);
            mp.setNoCFSRatio(0.0);
            cfg.setMergePolicy(mp);
            IndexWriter writer;
            try {
                writer = new IndexWriter(directory, cfg);
            } catch (LockObtainFailedException e) {
                throw new IOException("index at " + dir + " is locked by another writer (is a build running?)", e);
            }
            return new CaptionIndexWriter(dir, directory, writer, settings, embedder);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static void checkCompatible(Path dir, IndexMetadata m, IndexSettings s, Embedder e) {
        if (!CaptionSchema.ANALYZER_NAME.equals(m.analyzer())) {
            throw new IllegalArgumentException("index at " + dir + " uses analyzer '" + m.analyzer() + "', this build uses 'english'");
        }
        if (Float.compare(m.k1(), s.k1()) != 0 || Float.compare(m.b(), s.b()) != 0) {
            throw new IllegalArgumentException("index at " + dir + " was built with BM25 k1=" + m.k1() + " b=" + m.b()
                    + "; appending with k1=" + s.k1() + " b=" + s.b() + " would change its ranking (pass the same values)");
        }
        String want = e == null ? null : e.name();
        int wantDim = e == null ? 0 : e.dimension();
        if (!Objects.equals(m.embedder(), want) || m.dimension() != wantDim) {
            throw new IllegalArgumentException("index at " + dir + " was built with embedder "
                    + (m.embedder() == null ? "none" : m.embedder() + " (dim " + m.dimension() + ")")
                    + "; appending needs the same, got " + (want == null ? "none" : want + " (dim " + wantDim + ")"));
        }
    }

    /** The settings of this writer. */
    public IndexSettings settings() {
        return settings;
    }

    /** Adds (or replaces, by id) one caption. Safe to call from several threads. */
    public void add(CaptionRecord record) throws IOException {
        seenBySlot = null; // ids added here are not tracked: from now on always replace by id
        new DocBuilder(null).add(record);
    }

    /**
     * Adds every caption of {@code records} on {@link IndexSettings#threads()} threads and returns how many were
     * added. Captions are routed to threads by id, so when an id repeats, the later caption wins. Does not commit.
     */
    public long addAll(Iterator<CaptionRecord> records) throws IOException {
        return addAll(sink -> records.forEachRemaining(sink));
    }

    /**
     * A source that pushes captions to a consumer, e.g. {@code sink -> CaptionCorpus.forEach(file, report, sink)}.
     * The consumer may throw an unchecked exception to stop the source early; the source lets it propagate.
     */
    @FunctionalInterface
    public interface CaptionSource {
        void forEach(Consumer<CaptionRecord> sink) throws IOException;
    }

    /** Like {@link #addAll(Iterator)}, for a source that pushes its captions (a streaming file reader). */
    public long addAll(CaptionSource source) throws IOException {
        int n = settings.threads();
        List<SeenIds> seen = seenBySlot;
        if (n == 1) {
            DocBuilder b = new DocBuilder(seen == null ? null : seen.get(0));
            long[] count = {0};
            try {
                source.forEach(r -> {
                    try {
                        b.add(r);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    count[0]++;
                });
            } catch (UncheckedIOException e) {
                throw unwrap(e);
            }
            return count[0];
        }
        List<BlockingQueue<List<CaptionRecord>>> queues = new ArrayList<>(n);
        List<Thread> workers = new ArrayList<>(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong added = new AtomicLong();
        List<CaptionRecord> poison = List.of();
        for (int i = 0; i < n; i++) {
            BlockingQueue<List<CaptionRecord>> q = new ArrayBlockingQueue<>(8);
            queues.add(q);
            SeenIds slotSeen = seen == null ? null : seen.get(i);
            Thread t = Thread.ofPlatform().name("tga-index-" + i).start(() -> {
                try {
                    DocBuilder b = new DocBuilder(slotSeen);
                    while (true) {
                        List<CaptionRecord> batch = q.take();
                        if (batch == poison) {
                            // Flush one in-memory segment here, so that the workers write their segments in parallel
                            // instead of the committing thread writing them one after the other.
                            if (failure.get() == null) writer.flushNextBuffer();
                            return;
                        }
                        if (failure.get() != null) continue; // drain so the producer never blocks
                        for (CaptionRecord r : batch) b.add(r);
                        added.addAndGet(batch.size());
                    }
                } catch (Throwable ex) {
                    failure.compareAndSet(null, ex);
                    drain(q, poison);
                }
            });
            workers.add(t);
        }
        List<List<CaptionRecord>> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) pending.add(new ArrayList<>(BATCH));
        try {
            try {
                source.forEach(r -> {
                    if (failure.get() != null) throw WorkerFailed.INSTANCE;
                    int slot = Math.floorMod(r.id().hashCode(), n);
                    List<CaptionRecord> p = pending.get(slot);
                    p.add(r);
                    if (p.size() == BATCH) {
                        try {
                            put(queues.get(slot), p, failure);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        pending.set(slot, new ArrayList<>(BATCH));
                    }
                });
            } catch (WorkerFailed stop) {
                // a worker failed: stop reading; its exception is rethrown below
            } catch (UncheckedIOException e) {
                throw unwrap(e);
            }
            for (int i = 0; i < n && failure.get() == null; i++) {
                if (!pending.get(i).isEmpty()) put(queues.get(i), pending.get(i), failure);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                if (workers.get(i).isAlive()) put(queues.get(i), poison, null);
            }
            for (Thread t : workers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while indexing into " + path, e);
                }
            }
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
        if (f != null) throw new IOException("indexing into " + path + " failed", f);
        return added.get();
    }

    /** The cause of {@code e}, its message prefixed with the context {@code e} added (e.g. "reading FILE"). */
    static IOException unwrap(UncheckedIOException e) {
        IOException cause = e.getCause();
        String context = e.getMessage();
        if (context == null || context.equals(cause.toString()) || context.equals(cause.getMessage())) return cause;
        return new IOException(context + ": " + cause.getMessage(), cause);
    }

    /** Thrown into the source to stop it once a worker has failed. */
    private static final class WorkerFailed extends RuntimeException {
        static final WorkerFailed INSTANCE = new WorkerFailed();

        private WorkerFailed() {
            super("indexing worker failed", null, false, false);
        }
    }

    private static void put(BlockingQueue<List<CaptionRecord>> q, List<CaptionRecord> batch, AtomicReference<Throwable> failure)
            throws IOException {
        try {
            while (!q.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                if (failure != null && failure.get() != null) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        }
    }

    private static void drain(BlockingQueue<List<CaptionRecord>> q, List<CaptionRecord> poison) {
        try {
            while (q.take() != poison) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes all additions durable in one atomic commit, with fresh metadata (live caption count included), and
     * returns that metadata. Must not run concurrently with {@link #add}/{@link #addAll}.
     */
    public IndexMetadata commit() throws IOException {
        long live;
        try (DirectoryReader r = DirectoryReader.open(writer)) { // flushes and applies replace-by-id deletes
            live = r.numDocs();
        }
        IndexMetadata meta = new IndexMetadata(
                IndexMetadata.FORMAT_VERSION,
                CaptionSchema.ANALYZER_NAME,
                settings.k1(),
                settings.b(),
                live,
                embedder == null ? null : embedder.name(),
                embedder == null ? 0 : embedder.dimension());
        writer.setLiveCommitData(meta.toUserData().entrySet());
        writer.commit();
        return meta;
    }

    /** Captions currently in the writer (committed or not), after replace-by-id; flushes to count exactly. */
    public long liveCount() throws IOException {
        try (DirectoryReader r = DirectoryReader.open(writer)) {
            return r.numDocs();
        }
    }

    /** Index directory. */
    public Path path() {
        return path;
    }

    /** Closes the writer; additions since the last {@link #commit()} are discarded. */
    @Override
    public void close() throws IOException {
        try {
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    /** Per-thread reusable document (Lucene allows reusing fields once addDocument returns). */
    private final class DocBuilder {
        private final StringField id = new StringField(CaptionSchema.ID, "", Field.Store.NO);
        private final BinaryDocValuesField idSort = new BinaryDocValuesField(CaptionSchema.ID, new BytesRef());
        private final Field text = new Field(CaptionSchema.TEXT, "", CaptionSchema.TEXT_TYPE);
        private final BinaryDocValuesField rawText = new BinaryDocValuesField(CaptionSchema.TEXT, new BytesRef());
        private final KnnFloatVectorField vector;
        private final Document doc = new Document();
        private final SeenIds seen;

        DocBuilder(SeenIds seen) {
            this.seen = seen;
            doc.add(id);
            doc.add(idSort);
            doc.add(text);
            doc.add(rawText);
            if (embedder != null) {
                float[] placeholder = new float[embedder.dimension()];
                placeholder[0] = 1; // cosine rejects a zero vector even as a placeholder; replaced before every add
                vector = new KnnFloatVectorField(CaptionSchema.VECTOR, placeholder, VectorSimilarityFunction.COSINE);
                doc.add(vector);
            } else {
                vector = null;
            }
        }

        void add(CaptionRecord r) throws IOException {
            if (r.id().isBlank()) throw new IllegalArgumentException("caption with a blank id: " + r);
            id.setStringValue(r.id());
            idSort.setBytesValue(new BytesRef(r.id()));
            text.setStringValue(r.text());
            rawText.setBytesValue(new BytesRef(r.text()));
            if (vector != null) vector.setVectorValue(checkedVector(r));
            if (seen != null && seen.add(r.id())) {
                writer.addDocument(doc); // first time this id is seen in an index that started empty
            } else {
                writer.updateDocument(new Term(CaptionSchema.ID, r.id()), doc);
            }
        }

        private float[] checkedVector(CaptionRecord r) {
            float[] v = embedder.embedText(r.text());
            if (v == null || v.length != embedder.dimension()) {
                throw new IllegalStateException("embedder " + embedder.name() + " returned "
                        + (v == null ? "null" : v.length + " dims") + " for caption " + r.id() + ", expected " + embedder.dimension());
            }
            double norm = 0;
            for (float x : v) {
                if (!Float.isFinite(x)) throw new IllegalStateException("embedder " + embedder.name() + " returned a non-finite value for caption " + r.id());
                norm += x * x;
            }
            if (norm == 0) throw new IllegalStateException("embedder " + embedder.name() + " returned a zero vector for caption " + r.id() + " (cosine undefined)");
            return v;
        }
    }

    /** Exposed for tests: the commit user data of the index at {@code dir}. */
    static Map<String, String> committedUserData(Path dir) throws IOException {
        try (FSDirectory d = FSDirectory.open(dir)) {
            return SegmentInfos.readLatestCommit(d).getUserData();
        }
    }
}
