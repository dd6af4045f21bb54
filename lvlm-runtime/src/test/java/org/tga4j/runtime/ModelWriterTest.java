package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.model.TensorNames;
import org.tga4j.runtime.weights.Checkpoint;

class ModelWriterTest {
    @TempDir Path dir;

    private static int[] continuation(Path model) {
        try (Lvlm lvlm = Lvlm.load(model)) {
            return lvlm.generate(Request.text("the quick brown fox"), lvlm.greedy(6)).tokenIds();
        }
    }

    @Test
    void savedShardedAndRenamedCheckpointsGenerateIdentically() {
        Path original = RandomModels.write(new RandomModels.Spec("llava", 2, 64, 4, 2, 0, 400, 21, 2, 64, 32, 8),
                dir.resolve("original"));
        int[] expected = continuation(original);

        Path sharded = dir.resolve("sharded");
        Path modern = dir.resolve("modern");
        try (Lvlm lvlm = Lvlm.load(original)) {
            ModelWriter.save(sharded, lvlm.config(), lvlm.parameters(), original, Map.of(), 64 * 1024);
            // The scheme transformers >= 4.52 writes: model.language_model.*, lm_head.weight, model.vision_tower.*.
            Map<String, NDArray> renamed = new LinkedHashMap<>();
            TensorNames from = TensorNames.LLAVA_ORIGINAL, to = TensorNames.LLAVA_MODERN;
            lvlm.parameters().forEach((name, value) -> renamed.put(
                    name.equals(from.lmHead()) ? to.lmHead()
                            : name.startsWith(from.decoder()) ? to.decoder() + name.substring(from.decoder().length())
                            : name.startsWith(from.vision()) ? to.vision() + name.substring(from.vision().length())
                            : to.projector() + name.substring(from.projector().length()), value));
            ModelWriter.save(modern, lvlm.config(), renamed, original, Map.of(), ModelWriter.DEFAULT_MAX_SHARD_BYTES);
        }
        assertTrue(Files.exists(sharded.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(sharded.resolve("tokenizer.json")));
        assertArrayEquals(expected, continuation(sharded));
        assertArrayEquals(expected, continuation(modern));

        // Saving over an existing checkpoint replaces it whole.
        try (Lvlm lvlm = Lvlm.load(modern)) {
            lvlm.save(sharded);
        }
        assertTrue(Files.exists(sharded.resolve("model.safetensors")));
        assertEquals(false, Files.exists(sharded.resolve("model.safetensors.index.json")));
        // Lvlm loads the vision tower only up to vision_feature_layer; save still writes every original tensor.
        Path complete = dir.resolve("complete");
        try (Lvlm lvlm = Lvlm.load(original)) {
            lvlm.save(complete);
        }
        try (Checkpoint a = Checkpoint.open(original); Checkpoint b = Checkpoint.open(complete)) {
            assertEquals(a.names(), b.names());
            assertTrue(b.has("vision_tower.vision_model.post_layernorm.weight"));
        }
        assertArrayEquals(expected, continuation(sharded));
    }
}
