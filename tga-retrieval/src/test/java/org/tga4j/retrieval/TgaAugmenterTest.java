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
import org.tga4j.datasets.CaptionRecord;
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
        IndexReport r = CaptionFiles.index(List.of(data), dir, IndexSettings.defaults(), null, BadRecordPolicy.SKIP, ProgressListener.NONE);
        assertEquals(4, r.added(), "the text-only row is indexed too (its gpt turn); the malformed one is skipped");
        assertEquals(1, r.skipped());
        assertTrue(r.problems().get(0).contains("record #4"), r.problems().toString());
        return dir;
    }

    @Test
    void augmentFileWritesCaptionAndRetrievedTextWithProvenance() throws IOException {
        Path data = Files.writeString(tmp.resolve("blip_laion_cc_sbu_558k.json"), LLAVA);
        Path dir = indexFromLlava(data);
        Path out = tmp.resolve("out/augmented.json");
        long[] lastProgress = {0};
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            AugmentReport rep = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null)
                    .augmentFile(data, out, 2, BadRecordPolicy.SKIP, (done, total) -> lastProgress[0] = done);
            assertEquals(4, rep.total());
            assertEquals(3, rep.augmented());
            assertEquals(1, rep.textOnly());
            assertEquals(1, rep.bad());
            assertEquals(Map.of("exclude-self", 3L), rep.rules());
        }
        assertEquals(Files.size(data), lastProgress[0]);
        JsonNode arr = new ObjectMapper().readTree(out.toFile());
        assertEquals(4, arr.size());
        JsonNode grey = arr.get(1);
        assertEquals("002239345", grey.get("id").asText());
        assertEquals("00223/002239345.jpg", grey.get("image").asText());
        assertEquals("a grey watch with an army style strap", grey.get("image_caption").asText());
        assertEquals("a black watch with a leather strap", grey.get("retrieved_caption").asText());
        assertEquals("bm25", grey.get("retrieval").get("retriever").asText());
        assertEquals("exclude-self", grey.get("retrieval").get("rule").asText());
        assertEquals("001234567", grey.get("retrieval").get("source_id").asText());
        assertTrue(grey.get("retrieval").get("score").asDouble() > 0);
        assertEquals(2, grey.get("conversations").size());
        JsonNode textOnly = arr.get(3);
        assertEquals("oasst-1", textOnly.get("id").asText());
        assertFalse(textOnly.has("image_caption"));
        assertFalse(textOnly.has("image"));
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void failOnBadLeavesNoPartialOutput() throws IOException {
        Path data = Files.writeString(tmp.resolve("data.json"), LLAVA);
        Path dir = indexFromLlava(data);
        Path out = tmp.resolve("aug.json");
        Files.writeString(out, "[]\n");
        try (CaptionIndex idx = CaptionIndex.open(dir)) {
            TgaAugmenter aug = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, null);
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> aug.augmentFile(data, out, 1, BadRecordPolicy.FAIL, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("record #4") && e.getMessage().contains("data.json"), e.getMessage());
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
            TgaAugmenter.Outcome o = new TgaAugmenter(idx.bm25(), LeakGuard.EXCLUDE_SELF, tmp.resolve("images")).augment(evil);
            assertEquals(TgaAugmenter.Status.BAD, o.status());
            assertTrue(o.problem().contains("escapes the image root"), o.problem());
        }
    }

    private static LlavaRecord record(String id, String caption) {
        return new LlavaRecord(id, id + ".jpg", List.of(new Turn("human", "<image>\nDescribe the image."), new Turn("gpt", caption)));
    }
}
