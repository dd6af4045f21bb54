package org.tga4j.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlavaJsonTest {
    @TempDir Path dir;

    /** Looks like blip_laion_cc_sbu_558k.json: indent-2 pretty print, <image> after or before the prompt. */
    static final String LCS = """
            [
              {
                "id": "004539375",
                "image": "00453/004539375.jpg",
                "conversations": [
                  {
                    "from": "human",
                    "value": "Render a clear and concise summary of the photo.\\n<image>"
                  },
                  {
                    "from": "gpt",
                    "value": "select luxury furniture 3 - inch gel memory foam mattress topper"
                  }
                ]
              },
              {
                "id": "002239345",
                "image": "00223/002239345.jpg",
                "conversations": [
                  {"from": "human", "value": "<image>\\nWhat is in the photo?"},
                  {"from": "gpt", "value": "a grey watercolor painting of a house with a tree"}
                ]
              }
            ]
            """;

    /** Looks like llava_v1_5_mix665k.json: multi-turn, numeric id, a text-only ShareGPT row with "model". */
    static final String MIX = """
            [{"id": "000000033471", "image": "coco/train2017/000000033471.jpg", "conversations": [{"from": "human", "value": "<image>\\nWhat are the colors of the bus in the image?"}, {"from": "gpt", "value": "The bus in the image is white and red."}, {"from": "human", "value": "What feature can be seen on the back of the bus?"}, {"from": "gpt", "value": "The back of the bus features an advertisement."}]},
            {"id": 1234567, "image": "ocr_vqa/images/1234567.jpg", "conversations": [{"from": "human", "value": "<image>\\nWho wrote this book?"}, {"from": "gpt", "value": "Jane Doe"}]},
            {"id": "i6IyJda_0", "model": "", "conversations": [{"from": "human", "value": "How to tell if a customer segment is well segmented? In 3 bullet points."}, {"from": "gpt", "value": "1. Homogeneity\\n2. Distinctiveness\\n3. Stability"}]}]
            """;

    @Test
    void readsLcs558kRecords() throws IOException {
        Path f = write("blip_laion_cc_sbu_558k.json", LCS);
        List<LlavaRecord> rs = LlavaJsonReader.readAll(f, BadRecordReport.failing());
        assertEquals(2, rs.size());
        assertEquals("004539375", rs.get(0).id());
        assertEquals("00453/004539375.jpg", rs.get(0).image());
        assertEquals("select luxury furniture 3 - inch gel memory foam mattress topper", rs.get(0).firstAnswer());
        assertTrue(rs.get(0).conversations().get(0).value().endsWith("\n<image>"));
        assertTrue(rs.get(1).conversations().get(0).value().startsWith("<image>\n"));
    }

    @Test
    void mix665kQuirksSurviveARoundTrip() throws IOException {
        Path f = write("llava_v1_5_mix665k.json", MIX);
        List<LlavaRecord> rs = LlavaJsonReader.readAll(f, BadRecordReport.failing());
        assertEquals(3, rs.size());
        assertEquals(4, rs.get(0).conversations().size());
        assertEquals("1234567", rs.get(1).id(), "numeric id read as its decimal text");
        LlavaRecord text = rs.get(2);
        assertFalse(text.hasImage());
        assertNull(text.image());
        assertEquals("", text.extra().get("model").textValue(), "unknown keys are kept");

        Path out = dir.resolve("out/copy.json");
        LlavaJsonWriter.writeAll(out, rs);
        List<LlavaRecord> back = LlavaJsonReader.readAll(out, BadRecordReport.failing());
        assertEquals(rs, back);
        String json = Files.readString(out);
        assertFalse(json.contains("\"image\":null"), "text-only rows are written without an image key");
        assertTrue(json.contains("\"model\":\"\""));
        assertEquals(5, json.lines().count(), "one record per line between the brackets");
    }

    @Test
    void tgaAugmentedFieldsRoundTrip() throws IOException {
        String aug = """
                [{"id": "004539375", "image": "00453/004539375.jpg", "conversations": [{"from": "human", "value": "<image>\\nDescribe."}, {"from": "gpt", "value": "a red house"}],
                  "image_caption": "a red house", "retrieved_caption": "a red barn near a house", "retriever": "bm25",
                  "retrieval_score": 7.25, "retrieval_rule": "exclude-self", "retrieved_id": "000000042"}]
                """;
        LlavaRecord r = LlavaJsonReader.readAll(write("aug.json", aug), BadRecordReport.failing()).get(0);
        assertEquals("a red house", r.imageCaption());
        assertEquals("a red barn near a house", r.retrievedCaption());
        assertEquals(new LlavaRecord.RetrievalInfo("bm25", 7.25, "exclude-self", "000000042"), r.retrieval());
        assertTrue(r.extra().isEmpty());
        Path out = dir.resolve("aug2.json");
        LlavaJsonWriter.writeAll(out, List.of(r, r.withTga("c", "r", new LlavaRecord.RetrievalInfo("dense", Double.NaN, null, null))));
        List<LlavaRecord> back = LlavaJsonReader.readAll(out, BadRecordReport.failing());
        assertEquals(r, back.get(0));
        assertEquals("dense", back.get(1).retrieval().retriever());
        assertTrue(Double.isNaN(back.get(1).retrieval().score()));
        assertTrue(Files.readString(out).contains("\"retrieval_score\":7.25"));
    }

    static final String WITH_BAD = """
            [
            {"id": "good-0", "image": "a.jpg", "conversations": [{"from": "human", "value": "<image>\\nhi"}, {"from": "gpt", "value": "a cat"}]},
            {"id": "broken" "image": "b.jpg", "conversations": []},
            {"id": "no-conversations", "image": "c.jpg"},
            {"id": true, "conversations": []},
            {"id": "bad-turn", "conversations": [{"from": "human", "value": 42}]},
            "just a string",
            {"id": "good-1", "conversations": [{"from": "human", "value": "text only, with [brackets] and {braces}, \\"quotes\\" and commas"}]}
            ]
            """;

    @Test
    void badRecordsAreReportedWithIndexAndLineAndSkipped() throws IOException {
        Path f = write("bad.json", WITH_BAD);
        List<BadRecord> seen = new ArrayList<>();
        BadRecordReport report = new BadRecordReport(false, seen::add);
        List<LlavaRecord> good = LlavaJsonReader.readAll(f, report);
        assertEquals(List.of("good-0", "good-1"), good.stream().map(LlavaRecord::id).toList());
        assertTrue(good.get(1).conversations().get(0).value().contains("[brackets] and {braces}, \"quotes\""));
        assertEquals(5, report.count());
        assertEquals(seen, report.records());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seen.stream().map(BadRecord::index).toList());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seen.stream().map(BadRecord::line).toList());
        assertTrue(seen.get(0).problem().startsWith("malformed JSON"), seen.get(0).toString());
        assertTrue(seen.get(1).problem().contains("\"conversations\""));
        assertTrue(seen.get(2).problem().contains("\"id\" must be a string or an integer"));
        assertTrue(seen.get(3).problem().contains("conversations[0]") && seen.get(3).problem().contains("\"value\""));
        assertTrue(seen.get(4).problem().contains("expected a JSON object"));
        assertTrue(report.summary().startsWith("5 bad records skipped"));
        assertTrue(seen.get(0).toString().startsWith(f + ": record 1 (line 3)"));
    }

    @Test
    void readsFromAnOpenedReaderNamingTheGivenFileInReports() throws IOException {
        Path name = dir.resolve("streamed.json"); // never created: the reader only uses it in messages
        boolean[] closed = {false};
        java.io.Reader in = new java.io.StringReader(WITH_BAD) {
            @Override
            public void close() {
                closed[0] = true;
                super.close();
            }
        };
        BadRecordReport report = BadRecordReport.skipping();
        List<LlavaRecord> good = new ArrayList<>();
        try (LlavaJsonReader r = new LlavaJsonReader(name, in, report, null)) {
            r.forEachRemaining(good::add);
        }
        assertTrue(closed[0], "close() closes the given reader");
        assertEquals(List.of("good-0", "good-1"), good.stream().map(LlavaRecord::id).toList());
        assertEquals(5, report.count());
        assertTrue(report.records().get(0).toString().startsWith(name + ": record 1 (line 3)"), report.summary());

        boolean[] closedOnError = {false};
        java.io.Reader notArray = new java.io.StringReader("{\"id\": \"a\"}") {
            @Override
            public void close() {
                closedOnError[0] = true;
            }
        };
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new LlavaJsonReader(name, notArray, BadRecordReport.skipping(), null));
        assertTrue(e.getMessage().contains("streamed.json"), e.getMessage());
        assertTrue(closedOnError[0], "the reader is closed when the constructor throws");
    }

    @Test
    void failOnBadRecordThrowsNamingFileAndRecord() throws IOException {
        Path f = write("bad.json", WITH_BAD);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> LlavaJsonReader.readAll(f, BadRecordReport.failing()));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("record 1 (line 3)"), e.getMessage());
    }

    @Test
    void imagePathsEscapingTheRootAreBadRecords() throws IOException {
        String json = """
                [{"id": "ok", "image": "sub/a.jpg", "conversations": []},
                 {"id": "up", "image": "../../etc/passwd", "conversations": []},
                 {"id": "abs", "image": "/etc/passwd", "conversations": []}]
                """;
        Path f = write("paths.json", json);
        BadRecordReport report = BadRecordReport.skipping();
        List<LlavaRecord> good = new ArrayList<>();
        try (LlavaJsonReader r = new LlavaJsonReader(f, report, new ImageRoot(dir.resolve("images")))) {
            r.forEachRemaining(good::add);
        }
        assertEquals(List.of("ok"), good.stream().map(LlavaRecord::id).toList());
        assertEquals(2, report.count());
        assertTrue(report.records().get(0).problem().contains("escapes the image root"));
        assertTrue(report.records().get(1).problem().contains("absolute image path"));
    }

    @Test
    void truncatedOrNonArrayFilesFailNamingTheFile() throws IOException {
        Path trunc = write("trunc.json", "[{\"id\": \"a\", \"conversations\": []},\n{\"id\": \"b\", \"conver");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> LlavaJsonReader.readAll(trunc, BadRecordReport.skipping()));
        assertTrue(e.getMessage().contains("trunc.json") && e.getMessage().contains("truncated"), e.getMessage());
        Path obj = write("obj.json", "{\"id\": \"a\"}");
        e = assertThrows(DatasetFormatException.class, () -> LlavaJsonReader.readAll(obj, BadRecordReport.skipping()));
        assertTrue(e.getMessage().contains("expected a top-level JSON array"), e.getMessage());
        assertEquals(List.of(), LlavaJsonReader.readAll(write("empty.json", " [ ] \n"), BadRecordReport.failing()));
    }

    @Test
    void writerWithoutCommitLeavesTheOldFileAndNoTempFiles() throws IOException {
        Path target = write("keep.json", LCS);
        try (LlavaJsonWriter w = new LlavaJsonWriter(target)) {
            w.write(new LlavaRecord("x", null, List.of(new Turn("human", "hi"))));
            // simulated failure: no commit
        }
        assertEquals(LCS, Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "temp file removed");
        }
    }

    @Test
    void streamsManyRecordsOneAtATime() throws IOException {
        Path f = dir.resolve("many.json");
        int n = 20_000;
        try (LlavaJsonWriter w = new LlavaJsonWriter(f)) {
            for (int i = 0; i < n; i++) {
                w.write(new LlavaRecord(String.format("%09d", i), "x/" + i + ".jpg",
                        List.of(new Turn("human", "<image>\nDescribe."), new Turn("gpt", "caption " + i))));
            }
            w.commit();
        }
        long[] count = {0};
        long good = LlavaJsonReader.forEach(f, BadRecordReport.failing(), r -> {
            assertEquals("caption " + count[0], r.firstAnswer());
            count[0]++;
        });
        assertEquals(n, good);
        assertEquals(n, count[0]);
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
