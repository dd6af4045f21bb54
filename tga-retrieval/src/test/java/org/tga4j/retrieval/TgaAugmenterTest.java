package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.BadRecord;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.DatasetFormatException;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;

class TgaAugmenterTest {
    @TempDir Path tmp;

    /** LCS-558K-style pretraining records: the caption is the gpt turn; plus a mix-665K-style text-only row. */
    private static final String LLAVA = """
            [
             {"id": "004539375", "image": "00453/004539375.jpg", "conversations": [
               {"from": "human", "value": "Render a clear and concise summary of the photo.\\n<image>"},
               {"from": "gpt", "value": "a luxury watch box with a memory foam pillow"}]},
             {"id": "002239345", "image": "00223/002239345.jpg", "conversations": [
               {"from": "human", "value": "<image>\\nWrite a terse but informative summary of the picture."},
               {"from": "gpt", "value": "a grey watch with an army style strap"}]},
             {"id": "001234567", "image": "00123/001234567.jpg", "conversations": [
               {"from": "human", "value": "<image>\\nShare a concise interpretation of the image provided."},
               {"from": "gpt", "value": "a black watch with a leather strap"}]},
             {"id": "oasst-1", "conversations": [
               {"from": "human", "value": "What is 2+2?"}, {"from": "gpt", "value": "4"}]},
             {"id": 77, "image": "x.jpg", "conversations": "not an array"}
            ]
            """;

    private Path indexFromLlava(Path data) throws IOException {
        Path dir = tmp.resolve("idx");
        BadRecordReport bad = BadRecordReport.skipping();
        long[] lastProgress = {0};
        IndexReport r = CaptionFiles.index(List.of(data), dir, IndexSettings.defaults(), null, bad,
                (done, total) -> lastProgress[0] = done);
        assertEquals(4, r.added(), "the text-only row is indexed too (its gpt turn); the malformed one is skipped");
        assertEquals(1, r.skipped());
        assertEquals(1, bad.count());
        BadRecord b = bad.records().get(0);
        assertEquals(data, b.file());
        assertEquals(4, b.index());
        assertEquals(13, b.line());
        assertTrue(b.problem().contains("\"conversations\" must be an array"), b.toString());
        assertEquals(Files.size(data), lastProgress[0], "progress ends at the file size");
        return dir;
    }

    @Test
    void augmentFileWritesCaptionAndRetrievedTextWithProvenance() throws IOException {
        Path data = Files.writeString(tmp.resolve("blip_laion_cc_sbu_558k.json"), LLAVA);
        Path dir = indexFromLlava(data);
        Path out = tmp.resolve("out/augmented.json");
        long[] lastProgress = {0};
        BadRecordReport bad = BadRecordReport.skipping();
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            AugmentReport rep = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null)
                    .augmentFile(data, out, 2, bad, (done, total) -> lastProgress[0] = done);
            assertEquals(4, rep.total());
            assertEquals(3, rep.augmented());
            assertEquals(1, rep.textOnly());
            assertEquals(1, rep.bad());
            assertEquals(Map.of("exclude-self", 3L), rep.rules());
            assertEquals(1, bad.count());
            assertEquals(4, bad.records().get(0).index());
        }
        assertEquals(Files.size(data), lastProgress[0]);
        JsonNode arr = new ObjectMapper().readTree(out.toFile());
        assertEquals(4, arr.size());
        JsonNode grey = arr.get(1);
        assertEquals("002239345", grey.get("id").asText());
        assertEquals("00223/002239345.jpg", grey.get("image").asText());
        assertEquals("a grey watch with an army style strap", grey.get("image_caption").asText());
        assertEquals("a black watch with a leather strap", grey.get("retrieved_caption").asText());
        assertEquals("bm25", grey.get("retriever").asText());
        assertEquals("exclude-self", grey.get("retrieval_rule").asText());
        assertEquals("001234567", grey.get("retrieved_id").asText());
        assertTrue(grey.get("retrieval_score").asDouble() > 0);
        assertEquals(2, grey.get("conversations").size());
        JsonNode textOnly = arr.get(3);
        assertEquals("oasst-1", textOnly.get("id").asText());
        assertFalse(textOnly.has("image_caption"));
        assertFalse(textOnly.has("image"));

        // the datasets reader reads the augmented file back with every TGA field filled
        List<LlavaRecord> back = LlavaJsonReader.readAll(out, BadRecordReport.failing());
        assertEquals(List.of("004539375", "002239345", "001234567", "oasst-1"), back.stream().map(LlavaRecord::id).toList());
        LlavaRecord g = back.get(1);
        assertEquals("a grey watch with an army style strap", g.imageCaption());
        assertEquals("a black watch with a leather strap", g.retrievedCaption());
        assertEquals("bm25", g.retrieval().retriever());
        assertEquals(grey.get("retrieval_score").asDouble(), g.retrieval().score());
        assertTrue(g.retrieval().score() > 0);
        assertEquals("exclude-self", g.retrieval().rule());
        assertEquals("001234567", g.retrieval().sourceId());
        for (LlavaRecord a : back.subList(0, 3)) {
            assertEquals(a.firstAnswer(), a.imageCaption());
            assertNotNull(a.retrievedCaption(), a.id());
            assertNotEquals(a.id(), a.retrieval().sourceId(), "exclude-self never retrieves the record's own caption");
        }
        assertNull(back.get(3).imageCaption());
        assertNull(back.get(3).retrieval());
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void instructionRecordsTakeTheirImagesCaptionFromCaptionFiles() throws IOException {
        Path data = Files.writeString(tmp.resolve("blip_laion_cc_sbu_558k.json"), LLAVA);
        Path dir = indexFromLlava(data);
        // mix-665K style: the first answer is not a caption; one record is found by id, one by its image file name,
        // one has no caption anywhere
        Path instruct = Files.writeString(tmp.resolve("llava_v1_5_mix665k.json"), """
                [
                 {"id": "004539375", "image": "00453/004539375.jpg", "conversations": [
                   {"from": "human", "value": "<image>\\nIs there a pillow?"}, {"from": "gpt", "value": "Yes."}]},
                 {"id": "q-17", "image": "coco/train2017/002239345.jpg", "conversations": [
                   {"from": "human", "value": "<image>\\nWhat color is the watch?"}, {"from": "gpt", "value": "Grey."}]},
                 {"id": "q-18", "image": "coco/train2017/999.jpg", "conversations": [
                   {"from": "human", "value": "<image>\\nWhat is this?"}, {"from": "gpt", "value": "A cat."}]}
                ]
                """);
        Path captionFile = Files.writeString(tmp.resolve("captions.jsonl"), """
                {"id": "004539375", "text": "a luxury watch box with a memory foam pillow"}
                {"id": "002239345", "contents": "a grey watch with an army style strap"}
                """);
        BadRecordReport bad = BadRecordReport.skipping();
        ImageCaptions captions = ImageCaptions.read(List.of(captionFile), BadRecordReport.failing());
        assertEquals(2, captions.size());
        Path out = tmp.resolve("instruct_augmented.json");
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            AugmentReport rep = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null, captions)
                    .augmentFile(instruct, out, 1, bad, ProgressListener.NONE);
            assertEquals(2, rep.augmented());
            assertEquals(1, rep.bad());
        }
        String problem = bad.records().get(0).problem();
        assertTrue(problem.contains("q-18") && problem.contains("'999'") && problem.contains("captions.jsonl"), problem);
        JsonNode arr = new ObjectMapper().readTree(out.toFile());
        assertEquals(2, arr.size(), "the record without a caption is skipped and reported");
        assertEquals("a luxury watch box with a memory foam pillow", arr.get(0).get("image_caption").asText());
        assertNotEquals("004539375", arr.get(0).get("retrieved_id").asText(), "the image's own caption stays excluded");
        assertEquals("a grey watch with an army style strap", arr.get(1).get("image_caption").asText(),
                "found by the image's file name");
        assertEquals("Grey.", arr.get(1).get("conversations").get(1).get("value").asText());
    }

    @Test
    void failOnBadLeavesNoPartialOutput() throws IOException {
        Path data = Files.writeString(tmp.resolve("data.json"), LLAVA);
        Path dir = indexFromLlava(data);
        Path out = tmp.resolve("aug.json");
        Files.writeString(out, "[]\n");
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            TgaAugmenter aug = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null);
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> aug.augmentFile(data, out, 1, BadRecordReport.failing(), ProgressListener.NONE));
            assertTrue(e.getMessage().contains("record 4 (line 13)") && e.getMessage().contains("data.json"), e.getMessage());
        }
        assertEquals("[]\n", Files.readString(out), "the previous good output is untouched");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void firstHalfRuleAndExcludeSelfAreRecordedPerSample() throws IOException {
        Path dir = tmp.resolve("idx2");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), null)) {
            w.addAll(List.of(
                    new CaptionRecord("img1", "a red kite flying over the beach"),
                    new CaptionRecord("img2", "a red kite on the sand"),
                    new CaptionRecord("img3", "a sailing boat on the sea")).iterator());
            w.commit();
        }
        LlavaRecord img1 = record("img1", "a red kite flying over the beach");
        LlavaRecord img3 = record("img3", "a boat with white sails");
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            TgaAugmenter firstHalf = new TgaAugmenter(idx.bm25(), LeakGuard.FIRST_HALF, null);
            LlavaRecord a = firstHalf.augment(img1).record();
            assertEquals("a red kite flyin", a.retrievedCaption()); // 32 chars -> first 16
            assertEquals("first-half", a.retrieval().rule());
            assertEquals("img1", a.retrieval().sourceId());
            assertEquals("a red kite flying over the beach", a.imageCaption());
            // top hit is another caption: no rule applied
            LlavaRecord b = firstHalf.augment(record("q9", "red kite over the sand")).record();
            assertEquals("a red kite on the sand", b.retrievedCaption());
            assertEquals("none", b.retrieval().rule());

            TgaAugmenter exclude = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null);
            LlavaRecord c = exclude.augment(img1).record();
            assertEquals("a red kite on the sand", c.retrievedCaption());
            assertEquals("exclude-self", c.retrieval().rule());
            assertEquals("img2", c.retrieval().sourceId());
            assertEquals(TgaAugmenter.Status.NO_HIT, exclude.augment(img3).status(), "only its own caption matches 'boat'");

            TgaAugmenter none = new TgaAugmenter(idx.bm25(), LeakGuard.NONE, null);
            assertEquals("a red kite flying over the beach", none.augment(img1).record().retrievedCaption());
        }
        assertEquals("ab😀", LeakGuard.firstHalf("ab😀cdef"), "halves by code point, never splitting a surrogate pair");
    }

    @Test
    void imagePathsEscapingTheRootAreRejected() throws IOException {
        Path dir = tmp.resolve("idx3");
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults(), null)) {
            w.add(new CaptionRecord("x", "a red kite"));
            w.commit();
        }
        LlavaRecord evil = new LlavaRecord("e", "../../etc/passwd", List.of(
                new Turn("human", "<image>\nDescribe."), new Turn("gpt", "a red kite")));
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            TgaAugmenter.Outcome o = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, new ImageRoot(tmp.resolve("images"))).augment(evil);
            assertEquals(TgaAugmenter.Status.BAD, o.status());
            assertTrue(o.problem().contains("escapes the image root"), o.problem());
        }
    }

    private static LlavaRecord record(String id, String caption) {
        return new LlavaRecord(id, id + ".jpg", List.of(new Turn("human", "<image>\nDescribe the image."), new Turn("gpt", caption)));
    }
}
