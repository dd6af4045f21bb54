package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.CaptionRecord;

/** A child JVM indexing in a loop is killed mid-build; the index must reopen at a committed, consistent state. */
class CrashSafetyTest {
    @TempDir Path tmp;

    @Test
    void indexSurvivesAKilledBuild() throws Exception {
        Path dir = tmp.resolve("idx");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashIndexerMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long lastCommitted = -1;
        int commits = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (commits < 4 && (line = out.readLine()) != null) {
                if (line.startsWith("COMMITTED ")) {
                    lastCommitted = Long.parseLong(line.substring(10));
                    commits++;
                }
            }
            assertEquals(4, commits, "child JVM stopped before committing 4 times");
            Thread.sleep(40); // land the kill inside the next batch or commit
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        long count;
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            count = idx.metadata().docCount();
            assertEquals(count, idx.size(), "metadata count equals the documents of the same commit");
            assertTrue(count >= lastCommitted, "a reported commit was lost: " + count + " < " + lastCommitted);
            assertEquals(0, count % CrashIndexerMain.BATCH, "a partial batch became visible: " + count);
            assertFalse(idx.bm25().retrieve(RetrievalQuery.text(new SyntheticCaptions(11).caption(0).text()), 1).isEmpty());
        }
        try (FSDirectory d = FSDirectory.open(dir); CheckIndex check = new CheckIndex(d)) {
            assertTrue(check.checkIndex().clean, "CheckIndex reports problems after the crash");
        }
        // the index is writable again (the dead process's lock is released) and keeps its committed captions
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            w.addAll(List.of(new CaptionRecord("after-crash", "a caption added after the crash")).iterator());
            assertEquals(count + 1, w.commit().docCount());
        }
    }
}
