package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.BadRecord;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.DatasetFormatException;

/** Caption files of both formats into one index: format detection, bad records, progress, fail mode. */
class CaptionFilesTest {
    @TempDir Path tmp;

    /** tga4j and Pyserini JSONL lines, a blank line, a malformed line and a line without text. */
    private static final String JSONL = """
            {"id": "c1", "text": "a red kite over the beach"}
            {"id": "c2", "contents": "a wooden boat on a calm lake"}

            {"id": "c3", "text": "a broken line
            {"id": "c4"}
            {"id": 5, "text": "a yellow taxi in the rain"}
            """;

    /** LLaVA JSON (with a BOM and leading blanks): record 1 has no gpt turn, so no caption. */
    private static final String LLAVA = "\uFEFF  \n" + """
            [
             {"id": "l1", "image": "a/l1.jpg", "conversations": [
               {"from": "human", "value": "<image>\\nDescribe."}, {"from": "gpt", "value": "a green tractor in a field"}]},
             {"id": "l2", "image": "a/l2.jpg", "conversations": [{"from": "human", "value": "<image>\\nDescribe."}]},
             {"id": "l3", "image": "a/l3.jpg", "conversations": [
               {"from": "human", "value": "<image>\\nDescribe."}, {"from": "gpt", "value": "a snowy mountain at dawn"}]}
            ]
            """;

    @Test
    void indexesJsonlAndLlavaFilesReportingBadRecordsWithFileAndPosition() throws IOException {
        Path jsonl = Files.writeString(tmp.resolve("captions.jsonl"), JSONL);
        Path llava = Files.writeString(tmp.resolve("pretrain.json"), LLAVA);
        Path dir = tmp.resolve("idx");
        List<long[]> progress = new ArrayList<>();
        BadRecordReport bad = BadRecordReport.skipping();
        IndexReport r = CaptionFiles.index(List.of(jsonl, llava), dir, IndexSettings.defaults().withThreads(2), null, bad,
                (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(5, r.added());
        assertEquals(3, r.skipped());
        assertEquals(5, r.metadata().docCount());
        List<BadRecord> b = bad.records();
        assertEquals(List.of(jsonl, jsonl, llava), b.stream().map(BadRecord::file).toList());
        assertEquals(List.of(2L, 3L, 1L), b.stream().map(BadRecord::index).toList(), "record index, blank lines not counted");
        assertEquals(4L, b.get(0).line());
        assertEquals(5L, b.get(1).line());
        assertTrue(b.get(0).problem().startsWith("malformed JSON"), b.get(0).toString());
        assertTrue(b.get(1).problem().contains("\"text\""), b.get(1).toString());
        assertTrue(b.get(2).problem().contains("id=l2") && b.get(2).problem().contains("no gpt turn"), b.get(2).toString());

        long total = Files.size(jsonl) + Files.size(llava);
        assertFalse(progress.isEmpty());
        for (int i = 0; i < progress.size(); i++) {
            assertEquals(total, progress.get(i)[1]);
            if (i > 0) assertTrue(progress.get(i)[0] >= progress.get(i - 1)[0], "progress never goes back");
        }
        assertEquals(total, progress.get(progress.size() - 1)[0], "progress ends at the total size");

        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals("a wooden boat on a calm lake", idx.get("c2").orElseThrow().text(), "Pyserini contents");
            assertEquals("a yellow taxi in the rain", idx.get("5").orElseThrow().text(), "integer id");
            assertEquals("a snowy mountain at dawn", idx.get("l3").orElseThrow().text(), "LLaVA caption = first gpt turn");
            assertTrue(idx.get("l2").isEmpty());
            assertEquals("l1", idx.bm25().retrieve(RetrievalQuery.text("tractor"), 1).get(0).id());
        }
    }

    @Test
    void failModeStopsAtTheFirstBadRecordAndKeepsThePreviousCommit() throws IOException {
        Path good = Files.writeString(tmp.resolve("good.jsonl"), "{\"id\": \"g1\", \"text\": \"a blue bicycle\"}\n");
        Path dir = tmp.resolve("idx");
        CaptionFiles.index(List.of(good), dir, IndexSettings.defaults(), null, BadRecordReport.failing(), ProgressListener.NONE);
        Path jsonl = Files.writeString(tmp.resolve("captions.jsonl"), JSONL);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CaptionFiles.index(
                List.of(jsonl), dir, IndexSettings.defaults().withThreads(2), null, BadRecordReport.failing(), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("captions.jsonl: record 2 (line 4)"), e.getMessage());
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            assertEquals(1, idx.size(), "the failed file added nothing");
            assertTrue(idx.get("c1").isEmpty());
        }
    }

    @Test
    void aFileOfNeitherFormatIsRejectedNamingIt() throws IOException {
        Path csv = Files.writeString(tmp.resolve("captions.csv"), "id,text\n1,a cat\n");
        IOException e = assertThrows(IOException.class, () -> CaptionFiles.index(
                List.of(csv), tmp.resolve("idx"), IndexSettings.defaults(), null, BadRecordReport.skipping(), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("captions.csv") && e.getMessage().contains("not a caption file"), e.getMessage());
        assertEquals(3, CaptionFiles.nonBlankLines(Files.writeString(tmp.resolve("l.jsonl"), "{}\n \n{}\r\n\t\n{}")));
    }
}
