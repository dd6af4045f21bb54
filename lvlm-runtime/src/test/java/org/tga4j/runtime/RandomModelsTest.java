package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.text.BpeTokenizerTrainer;
import org.tga4j.runtime.text.TextTokenizer;

class RandomModelsTest {
    @TempDir Path dir;

    @Test
    void givenTokenizerIsCopiedAndSetsTheVocabulary() {
        Path tok = dir.resolve("tok");
        List<String> corpus = List.of("a red knife on the left", "a blue ball on the right", "a green cup");
        BpeTokenizerTrainer.train(corpus, 300, List.of(), 1).save(tok);
        Path model = RandomModels.write(RandomModels.Spec.llama(1, 32, 2, 2, 999, 7), dir.resolve("m"), false, tok);
        TextConfig cfg = (TextConfig) ModelConfig.load(model);
        try (TextTokenizer a = TextTokenizer.load(tok); TextTokenizer b = TextTokenizer.load(model)) {
            assertEquals(a.vocabSize(), cfg.vocabSize());
            assertArrayEquals(a.encode("a red knife"), b.encode("a red knife"));
        }
    }

    @Test
    void missingTokenizerIsNamed() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        var e = assertThrows(IllegalArgumentException.class, () -> RandomModels.write(
                RandomModels.Spec.llama(1, 32, 2, 2, 300, 7), dir.resolve("m"), false, dir.resolve("empty")));
        assertEquals(true, e.getMessage().contains("tokenizer.json"));
    }
}
