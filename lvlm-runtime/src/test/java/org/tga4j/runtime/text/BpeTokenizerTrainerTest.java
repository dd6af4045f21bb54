package org.tga4j.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTrainerTest {
    @TempDir
    static Path tmp;
    static TrainedTokenizer trained;
    static Path dir;

    @BeforeAll
    static void train() throws Exception {
        trained = BpeTokenizerTrainer.train(TestTokenizers.corpus(), 1500, List.of("<extra>"));
        dir = tmp.resolve("tok");
        trained.withChatTemplate("llava_v1").save(dir);
    }

    @Test
    void reachesTheTargetVocabWithSpecialTokensFirstAndWritesAllFiles() throws Exception {
        assertEquals(1500, trained.vocabSize());
        assertEquals(List.of("<unk>", "<s>", "</s>", "<pad>", "<image>", "<extra>"), trained.specialTokens());
        assertEquals(1500 - 6 - 256, trained.merges().size(), "every non-special, non-byte token comes from a merge");
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temp files left behind");
        }
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
        assertEquals("<s>", cfg.get("bos_token").asText());
        assertEquals("llava_v1", cfg.get("tga4j_template").asText());
        assertTrue(cfg.get("chat_template").asText().contains("ASSISTANT:"));
        JsonNode map = new ObjectMapper().readTree(dir.resolve("special_tokens_map.json").toFile());
        assertEquals("[\"<image>\",\"<extra>\"]", map.get("additional_special_tokens").toString());
    }

    @Test
    void isDeterministic() {
        TrainedTokenizer again = BpeTokenizerTrainer.train(TestTokenizers.corpus(), 1500, List.of("<extra>"));
        assertEquals(trained.tokenizerJson(), again.tokenizerJson());
    }

    @Test
    void tiesAreBrokenByLexicalOrder() {
        // "ab" and "cd" are equally frequent; "ab" sorts first, so it is merged first
        TrainedTokenizer t = BpeTokenizerTrainer.train(List.of("cd ab cd ab"), 5 + 256 + 2, List.of(), 1);
        List<String[]> merges = t.merges();
        assertEquals("a b", merges.get(0)[0] + " " + merges.get(0)[1]);
        assertEquals("c d", merges.get(1)[0] + " " + merges.get(1)[1]);
    }

    @Test
    void djlEncodesExactlyAsTheMergesSay() throws Exception {
        List<String> sentences = List.of("The assistant gives helpful answers to the human's questions.",
                "Describe   the scene\n\nin detail, 12345 times!", "naïve café — 日本語 🙂 tabs\tand spaces  ",
                "Brailoung stoutea thint cleas.");
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            for (String s : sentences) {
                assertArrayEquals(referenceEncode(s), tok.encode(s), s);
                assertEquals(s, tok.decode(tok.encode(s)), "byte-level BPE round-trips any text");
            }
        }
    }

    @Test
    void specialTokensAreSingleIdsAndSkippedOnDecode() throws Exception {
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            int[] ids = tok.encode("<s>a<image><extra></s>");
            assertEquals(List.of(1, ids[1], 4, 5, 2), List.of(ids[0], ids[1], ids[2], ids[3], ids[4]));
            assertEquals(5, ids.length);
            assertEquals("a", tok.decode(ids));
            assertEquals("<s>a<image><extra></s>", tok.decode(ids, false));
        }
    }

    @Test
    void randomModelTokenizerHasExactlyTheRequestedVocab() throws Exception {
        for (int v : new int[] {300, 2000, 32000}) {
            Path d = tmp.resolve("random" + v);
            BpeTokenizerTrainer.writeRandomModelTokenizer(d, v, 11);
            try (TextTokenizer tok = TextTokenizer.load(d)) {
                assertEquals(v, tok.vocabSize());
                String text = "The picture shows a small dog near the table.";
                assertEquals(text, tok.decode(tok.encode(text)));
                assertEquals(1, tok.bosId());
                assertEquals(2, tok.eosId());
                assertEquals(3, tok.padId());
            }
        }
        Path a = tmp.resolve("ra");
        Path b = tmp.resolve("rb");
        BpeTokenizerTrainer.writeRandomModelTokenizer(a, 1000, 5);
        BpeTokenizerTrainer.writeRandomModelTokenizer(b, 1000, 5);
        assertEquals(Files.readString(a.resolve("tokenizer.json")), Files.readString(b.resolve("tokenizer.json")));
    }

    @Test
    void rejectsAVocabTooSmallForBytesAndSpecials() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BpeTokenizerTrainer.train(List.of("x"), 100, List.of()));
        assertTrue(e.getMessage().contains("261"), e.getMessage());
    }

    /** An independent BPE encoder over the written files: GPT-2 split, byte symbols, lowest-rank merge first. */
    private static int[] referenceEncode(String text) throws Exception {
        JsonNode tj = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        Map<String, Integer> vocab = new HashMap<>();
        tj.get("model").get("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> rank = new HashMap<>();
        JsonNode merges = tj.get("model").get("merges");
        for (int i = 0; i < merges.size(); i++) {
            rank.put(merges.get(i).asText(), i);
        }
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile(tj.get("pre_tokenizer").get("pretokenizers").get(0).get("pattern")
                .get("Regex").asText()).matcher(text);
        while (m.find()) {
            List<String> parts = new ArrayList<>();
            for (byte b : m.group().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                parts.add(String.valueOf(ByteLevelAlphabet.symbol(b & 0xFF)));
            }
            while (true) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer r = rank.get(parts.get(i) + " " + parts.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                parts.set(best, parts.get(best) + parts.remove(best + 1));
            }
            parts.forEach(p -> out.add(vocab.get(p)));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
