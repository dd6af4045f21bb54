package org.tga4j.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void train() throws Exception {
        dir = TestTokenizers.write(tmp.resolve("tok"), 1000, List.of());
    }

    @Test
    void roundTripsTextAndExposesTheVocabulary() {
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            String text = "Describe the scene in detail .\n  Two people , 3 dogs : naïve 🙂 isn 't it ?";
            int[] ids = tok.encode(text);
            assertEquals(text, tok.decode(ids));
            assertEquals(1000, tok.vocabSize());
            assertEquals(4, tok.tokenId("<image>").orElseThrow());
            assertEquals("<image>", tok.token(4));
            assertTrue(tok.tokenId("no-such-token-xyz").isEmpty());
            assertTrue(tok.isSpecial(2));
            assertFalse(tok.isSpecial(ids[0]));
            assertEquals(1, tok.bosId());
            assertEquals(2, tok.eosId());
            assertEquals(3, tok.padId());
            assertEquals(0, tok.unkId());
            assertEquals(Set.of(2), tok.stopIds());
            assertTrue(tok.addBos());
            assertEquals(4096, tok.modelMaxLength());
            assertEquals(0, tok.encode("").length);
            assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {5000}));
        }
    }

    @Test
    void neverTruncatesEvenBeyondModelMaxLength() throws Exception {
        Path d = copyOf(dir, "short");
        Files.writeString(d.resolve("tokenizer_config.json"),
                "{\"model_max_length\": 8, \"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
        try (TextTokenizer tok = TextTokenizer.load(d)) {
            String text = "The assistant gives helpful, detailed, and polite answers to the human's questions.";
            assertTrue(tok.encode(text).length > 8);
            assertEquals(text, tok.decode(tok.encode(text)));
            assertEquals(8, tok.modelMaxLength());
        }
    }

    @Test
    void readsAddedTokenObjectsAndGenerationConfig() throws Exception {
        Path d = copyOf(dir, "gen");
        Files.writeString(d.resolve("tokenizer_config.json"), """
                {"add_bos_token": false,
                 "bos_token": {"content": "<s>", "lstrip": false, "special": true},
                 "eos_token": {"__type": "AddedToken", "content": "</s>"},
                 "unk_token": "<unk>"}""");
        Files.writeString(d.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [2, 4]}");
        try (TextTokenizer tok = TextTokenizer.load(d)) {
            assertEquals(1, tok.bosId());
            assertEquals(2, tok.eosId());
            assertEquals(2, tok.padId(), "no pad token: falls back to eos");
            assertEquals(List.of(2, 4), new ArrayList<>(tok.stopIds()));
            assertFalse(tok.addBos());
        }
        Files.writeString(d.resolve("generation_config.json"), "{\"eos_token_id\": 4, \"pad_token_id\": 0}");
        try (TextTokenizer tok = TextTokenizer.load(d)) {
            assertEquals(Set.of(2, 4), tok.stopIds());
            assertEquals(0, tok.padId());
        }
    }

    @Test
    void addBosDefaultsToThePostProcessorWhenTheConfigIsSilent() throws Exception {
        Path d = copyOf(dir, "nocfg");
        Files.delete(d.resolve("tokenizer_config.json"));
        try (TextTokenizer tok = TextTokenizer.load(d)) {
            assertTrue(tok.addBos(), "the written TemplateProcessing prepends <s>");
            assertEquals(-1, tok.eosId(), "no tokenizer_config and no generation_config: no eos known");
            assertTrue(tok.stopIds().isEmpty());
        }
    }

    @Test
    void missingOrCorruptFilesNameTheFile() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(empty));
        assertTrue(e.getMessage().contains(empty.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());

        Path truncated = copyOf(dir, "truncated");
        String json = Files.readString(truncated.resolve("tokenizer.json"));
        Files.writeString(truncated.resolve("tokenizer.json"), json.substring(0, json.length() / 2));
        e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(truncated));
        assertTrue(e.getMessage().contains(truncated.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Path noModel = Files.createDirectories(tmp.resolve("nomodel"));
        Files.writeString(noModel.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(noModel));
        assertTrue(e.getMessage().contains("\"model\""), e.getMessage());

        Path badModel = Files.createDirectories(tmp.resolve("badmodel"));
        Files.writeString(badModel.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(badModel));
        assertTrue(e.getMessage().contains("could not be loaded"), e.getMessage());

        Path badCfg = copyOf(dir, "badcfg");
        Files.writeString(badCfg.resolve("generation_config.json"), "{\"eos_token_id\": ");
        e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(badCfg));
        assertTrue(e.getMessage().contains("generation_config.json"), e.getMessage());
    }

    @Test
    void concurrentEncodeDecodeMatchesSequential() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("Sample " + i + ": " + TestTokenizers.ENGLISH.get(i % TestTokenizers.ENGLISH.size()));
        }
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            List<int[]> expected = texts.stream().map(tok::encode).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int rep = 0; rep < 8; rep++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < texts.size(); i++) {
                            int[] ids = tok.encode(texts.get(i));
                            if (!java.util.Arrays.equals(ids, expected.get(i))
                                    || !tok.decode(ids).equals(texts.get(i))) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : futures) {
                    assertTrue(f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closedTokenizerRefusesWork() {
        TextTokenizer tok = TextTokenizer.load(dir);
        tok.close();
        tok.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> tok.encode("a"));
    }

    @Test
    void incrementalDecoderStreamsCompleteCharactersOnly() {
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            String text = "Hi 日本語 and 🙂🙂 naïve café!</s>";
            int[] ids = tok.encode(text);
            IncrementalDecoder dec = tok.incrementalDecoder(true);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                String piece = dec.push(id);
                assertFalse(piece.contains("\uFFFD"), "never emits half a character: " + piece);
                out.append(piece);
            }
            out.append(dec.flush());
            assertEquals(tok.decode(ids), out.toString());
            assertEquals("Hi 日本語 and 🙂🙂 naïve café!", out.toString());
            assertArrayEquals(ids, dec.ids());
            // multi-byte characters take several byte-level tokens, so some pushes must return nothing
            assertTrue(ids.length > out.toString().split(" ").length);
        }
    }

    private static Path copyOf(Path src, String name) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        return d;
    }
}
