package org.tga4j.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionCorpusTest {
    @TempDir Path dir;

    @Test
    void readsBothStylesAndRoundTrips() throws IOException {
        Path f = dir.resolve("corpus.jsonl");
        Files.writeString(f, """
                {"id": "004539375", "text": "select luxury furniture mattress topper"}
                {"id": 7, "contents": "pyserini style document", "extra": 1}

                {"id": "both", "text": "text wins", "contents": "ignored"}
                """);
        List<CaptionRecord> rs = CaptionCorpus.readAll(f, BadRecordReport.failing());
        assertEquals(List.of(new CaptionRecord("004539375", "select luxury furniture mattress topper"),
                new CaptionRecord("7", "pyserini style document"), new CaptionRecord("both", "text wins")), rs);
        for (CaptionCorpus.Style style : CaptionCorpus.Style.values()) {
            Path out = dir.resolve("out-" + style + ".jsonl");
            CaptionCorpus.write(out, rs, style);
            assertEquals(rs, CaptionCorpus.readAll(out, BadRecordReport.failing()));
            assertTrue(Files.readAllLines(out).get(0).startsWith("{\"id\":\"004539375\",\"" + style.key + "\":"));
        }
    }

    @Test
    void badLinesAreReportedWithTheirLineNumbers() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, """
                {"id": "a", "text": "fine"}
                {"id": "b", "text": "unterminated
                {"id": "c"}

                {"id": "d", "text": ["not", "a", "string"]}
                {"id": "e", "contents": "fine too"}
                """);
        BadRecordReport report = BadRecordReport.skipping();
        List<CaptionRecord> rs = CaptionCorpus.readAll(f, report);
        assertEquals(List.of("a", "e"), rs.stream().map(CaptionRecord::id).toList());
        assertEquals(3, report.count());
        assertEquals(List.of(2L, 3L, 5L), report.records().stream().map(BadRecord::line).toList());
        assertTrue(report.records().get(1).problem().contains("\"text\" (or Pyserini's \"contents\")"));
        assertTrue(report.records().get(2).problem().contains("must be a string but is an array"));
        assertThrows(DatasetFormatException.class, () -> CaptionCorpus.readAll(f, BadRecordReport.failing()));
    }
}
