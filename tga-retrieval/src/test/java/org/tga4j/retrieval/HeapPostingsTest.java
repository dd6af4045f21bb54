package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.CaptionRecord;

/**
 * {@link HeapPostings} holds exactly the live postings of each segment in its own document order: the order is a
 * permutation with norms ascending, every term's (document, frequency) pairs map back to Lucene's, and the window
 * index (windows, starts, highest frequencies, 64-document blocks, the by-window tables) agrees with the postings.
 * {@link IdRanks} orders documents by id bytes.
 */
class HeapPostingsTest {
    @TempDir Path tmp;

    @Test
    void heapOrderHoldsTheLivePostingsAndTheirWindowIndex() throws IOException {
        Path dir = tmp.resolve("idx");
        SyntheticCaptions gen = new SyntheticCaptions(5);
        List<CaptionRecord> recs = new ArrayList<>();
        for (int i = 0; i < 6000; i++) recs.add(gen.caption(i));
        for (int i = 0; i < 50; i++) recs.add(new CaptionRecord("rep-" + i, "red red red car " + "red ".repeat(i % 7)));
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(recs.iterator());
            w.commit();
        }
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            for (int i = 0; i < 200; i++) w.add(new CaptionRecord("syn-" + (i * 13), "a blue car replaced " + i));
            w.commit();
        }
        try (CaptionIndex index = CaptionIndex.open(dir)) {
            IndexReader reader = index.searcher().getIndexReader();
            assertTrue(reader.hasDeletions());
            int[] idRank = IdRanks.of(reader);
            assertIdOrder(reader, idRank);
            int checkedTerms = 0;
            for (LeafReaderContext ctx : reader.leaves()) {
                LeafReader leaf = ctx.reader();
                HeapPostings heap = HeapPostings.load(leaf, CaptionSchema.TEXT);
                heap.setIdRanks(idRank, ctx.docBase);
                int maxDoc = leaf.maxDoc();
                assertEquals(maxDoc, heap.maxDoc());
                boolean[] seen = new boolean[maxDoc];
                NumericDocValues nv = leaf.getNormValues(CaptionSchema.TEXT);
                byte[] norms = new byte[maxDoc];
                for (int d = nv.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = nv.nextDoc()) norms[d] = (byte) nv.longValue();
                for (int hd = 0; hd < maxDoc; hd++) {
                    int d = heap.luceneDoc(hd);
                    assertFalse(seen[d], "the heap order is a permutation");
                    seen[d] = true;
                    assertEquals(norms[d], heap.norms()[hd]);
                    assertEquals(idRank[ctx.docBase + d], heap.idRank(hd));
                    if (hd > 0) assertTrue((heap.norms()[hd - 1] & 0xFF) <= (heap.norms()[hd] & 0xFF), "norms ascend");
                }
                for (int w = 0; w < heap.windows(); w++) {
                    int min = 0xFF;
                    for (int hd = w * MaxScoreTopK.WINDOW; hd < Math.min(maxDoc, (w + 1) * MaxScoreTopK.WINDOW); hd++) {
                        min = Math.min(min, heap.norms()[hd] & 0xFF);
                    }
                    assertEquals(min, heap.windowMinNorm(w) & 0xFF);
                }
                Bits live = leaf.getLiveDocs();
                TermsEnum te = leaf.terms(CaptionSchema.TEXT).iterator();
                PostingsEnum pe = null;
                for (BytesRef term = te.next(); term != null; term = te.next()) {
                    List<Long> want = new ArrayList<>();
                    pe = te.postings(pe, PostingsEnum.FREQS);
                    for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                        if (live == null || live.get(d)) want.add((long) d << 32 | pe.freq());
                    }
                    HeapPostings.TermPostings p = heap.get(term.utf8ToString());
                    assertNotNull(p);
                    assertEquals(te.docFreq(), p.docFreq());
                    assertEquals(te.totalTermFreq(), p.totalTermFreq());
                    checkTerm(heap, p, want);
                    checkedTerms++;
                }
            }
            assertTrue(checkedTerms > 1000, "terms checked: " + checkedTerms);
        }
    }

    /** {@code p}'s postings map back to {@code want} (segment doc << 32 | freq), and its window index agrees. */
    private static void checkTerm(HeapPostings heap, HeapPostings.TermPostings p, List<Long> want) {
        int[] docs = p.docs();
        long[] got = new long[docs.length];
        for (int i = 0; i < docs.length; i++) {
            if (i > 0) assertTrue(docs[i - 1] < docs[i], "heap postings ascend");
            int f = p.freqs() == null ? 1 : p.freqs()[i];
            got[i] = (long) heap.luceneDoc(docs[i]) << 32 | f;
        }
        Arrays.sort(got);
        assertArrayEquals(want.stream().mapToLong(Long::longValue).toArray(), got);
        int[] windows = p.windows();
        for (int k = 0; k < windows.length; k++) {
            int from = p.windowStart()[k];
            int to = k + 1 < windows.length ? p.windowStart()[k + 1] : docs.length;
            assertTrue(from < to);
            assertEquals(windows[k], docs[from] / MaxScoreTopK.WINDOW);
            assertEquals(windows[k], docs[to - 1] / MaxScoreTopK.WINDOW);
            if (k > 0) assertTrue(windows[k - 1] < windows[k]);
            int max = 1;
            int blocks = 0;
            for (int i = from; i < to; i++) {
                max = Math.max(max, p.freqs() == null ? 1 : p.freqs()[i]);
                blocks |= 1 << (docs[i] % MaxScoreTopK.WINDOW / Long.SIZE);
            }
            if (p.windowMaxFreq() != null) assertEquals(max, p.windowMaxFreq()[k]);
            else assertEquals(1, max);
            assertEquals(blocks, p.windowBlocks()[k], "blocks of 64 documents holding the term");
        }
        if (p.startByWindow() != null) {
            assertEquals(heap.windows() + 1, p.startByWindow().length);
            for (int w = 0; w < heap.windows(); w++) {
                int k = Arrays.binarySearch(windows, w);
                int from = p.startByWindow()[w];
                int to = p.startByWindow()[w + 1];
                if (k < 0) {
                    assertEquals(from, to, "no postings in a window the term is not in");
                    assertEquals(0, p.blocksByWindow()[w]);
                } else {
                    assertEquals(p.windowBlocks()[k], p.blocksByWindow()[w]);
                    assertEquals(p.windowStart()[k], from);
                    assertEquals(k + 1 < windows.length ? p.windowStart()[k + 1] : docs.length, to);
                    if (p.maxFreqByWindow() != null) assertEquals(p.windowMaxFreq()[k], p.maxFreqByWindow()[w]);
                }
            }
        }
    }

    /** Ranks sort the documents by id bytes, then doc. */
    private static void assertIdOrder(IndexReader reader, int[] idRank) throws IOException {
        int maxDoc = reader.maxDoc();
        BytesRef[] ids = new BytesRef[maxDoc];
        for (LeafReaderContext ctx : reader.leaves()) {
            BinaryDocValues dv = ctx.reader().getBinaryDocValues(CaptionSchema.ID);
            for (int d = dv.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = dv.nextDoc()) {
                ids[ctx.docBase + d] = BytesRef.deepCopyOf(dv.binaryValue());
            }
        }
        Integer[] byRank = new Integer[maxDoc];
        for (int d = 0; d < maxDoc; d++) byRank[idRank[d]] = d;
        for (int r = 1; r < maxDoc; r++) {
            int a = byRank[r - 1];
            int b = byRank[r];
            int c = ids[a].compareTo(ids[b]);
            assertTrue(c < 0 || (c == 0 && a < b), "rank " + r + ": " + ids[a].utf8ToString() + " before " + ids[b].utf8ToString());
        }
    }
}
