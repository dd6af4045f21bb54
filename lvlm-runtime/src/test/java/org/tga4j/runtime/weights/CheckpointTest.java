package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @TempDir
    Path tmp;
    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    /** A two-layer llava-hf style state dict in the old naming (language_model.model.*). */
    static Map<String, HostTensor> llavaOldNames() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("vision_tower.vision_model.embeddings.patch_embedding.weight", tensor(1, 8, 3, 2, 2));
        t.put("multi_modal_projector.linear_1.weight", tensor(2, 16, 8));
        t.put("multi_modal_projector.linear_1.bias", tensor(3, 16));
        for (int l = 0; l < 2; l++) {
            t.put("language_model.model.layers." + l + ".self_attn.q_proj.weight", tensor(10 + l, 16, 16));
            t.put("language_model.model.layers." + l + ".mlp.gate_proj.weight", tensor(20 + l, 32, 16));
        }
        t.put("language_model.model.embed_tokens.weight", tensor(4, 50, 16));
        t.put("language_model.lm_head.weight", tensor(5, 50, 16));
        return t;
    }

    /** The same in the newer naming (model.language_model.*, lm_head.*). */
    static Map<String, HostTensor> llavaNewNames() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("model.vision_tower.vision_model.embeddings.class_embedding", tensor(1, 8));
        t.put("model.multi_modal_projector.linear_2.weight", tensor(2, 16, 16));
        t.put("model.language_model.layers.0.self_attn.q_proj.weight", tensor(3, 16, 16));
        t.put("model.language_model.layers.0.self_attn.k_proj.weight", tensor(4, 8, 16));
        t.put("model.language_model.norm.weight", tensor(5, 16));
        t.put("lm_head.weight", tensor(6, 50, 16));
        return t;
    }

    static HostTensor tensor(int seed, long... shape) {
        int n = (int) TensorInfo.numel(shape);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) Math.sin(seed * 1000 + i) * 0.1f;
        }
        return new HostTensor(d, shape);
    }

    private static void assertSameContents(Map<String, HostTensor> want, Checkpoint c) {
        assertEquals(List.copyOf(want.keySet()).stream().sorted().toList(),
                c.names().stream().sorted().toList());
        for (Map.Entry<String, HostTensor> e : want.entrySet()) {
            assertArrayEquals(e.getValue().shape(), c.info(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), c.loadFloats(e.getKey()), e.getKey());
            NDArray a = c.load(e.getKey(), e.getValue().shape(), manager);
            assertArrayEquals(e.getValue().data(), a.toFloatArray(), e.getKey());
            a.close();
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void singleFileCheckpointWhenEverythingFits() throws IOException {
        Map<String, HostTensor> t = llavaOldNames();
        SafeTensorsWriter.writeShardedHost(tmp, t, Map.of(), Long.MAX_VALUE, TensorDType.F32);
        assertEquals(List.of("model.safetensors"), files(tmp));
        try (Checkpoint c = Checkpoint.open(tmp)) {
            assertEquals(tmp.resolve("model.safetensors"), c.source());
            assertSameContents(t, c);
            long params = t.values().stream().mapToLong(h -> h.data().length).sum();
            assertEquals(params, c.parameterCount());
        }
    }

    @Test
    void shardedRoundTripWritesHuggingFaceIndex() throws IOException {
        Map<String, HostTensor> t = llavaOldNames();
        SafeTensorsWriter.writeShardedHost(tmp, t, Map.of("step", "7"), 4 * 1024, TensorDType.F32);
        List<String> names = files(tmp);
        assertTrue(names.contains("model.safetensors.index.json"), names.toString());
        assertFalse(names.contains("model.safetensors"));
        long shards = names.stream().filter(n -> n.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count();
        assertTrue(shards >= 2, names.toString());
        assertTrue(names.contains(String.format("model-00001-of-%05d.safetensors", shards)), names.toString());
        assertEquals(shards + 1, names.size(), "no temp files left: " + names);

        JsonNode index = new ObjectMapper().readTree(tmp.resolve("model.safetensors.index.json").toFile());
        long total = t.values().stream().mapToLong(h -> 4L * h.data().length).sum();
        assertEquals(total, index.get("metadata").get("total_size").asLong());
        assertEquals(t.size(), index.get("weight_map").size());
        List<String> keys = new ArrayList<>();
        index.get("weight_map").fieldNames().forEachRemaining(keys::add);
        assertEquals(keys.stream().sorted().toList(), keys, "weight_map sorted as transformers writes it");

        try (Checkpoint c = Checkpoint.open(tmp)) {
            assertEquals(tmp.resolve("model.safetensors.index.json"), c.source());
            assertSameContents(t, c);
            // every shard but the last respects the size limit
            for (String n : names) {
                if (n.startsWith("model-") && !n.startsWith(String.format("model-%05d", shards))) {
                    try (SafeTensorsFile f = SafeTensorsFile.open(tmp.resolve(n))) {
                        long bytes = f.tensors().values().stream().mapToLong(TensorInfo::byteLength).sum();
                        assertTrue(bytes <= 4 * 1024 || f.tensors().size() == 1, n + " holds " + bytes);
                        assertEquals("7", f.metadata().get("step"));
                    }
                }
            }
        }
    }

    @Test
    void bothLlavaHfNameSchemesSurviveUnchangedInBf16AndF16() throws IOException {
        for (TensorDType dt : List.of(TensorDType.BF16, TensorDType.F16)) {
            Path dir = tmp.resolve(dt.name());
            Map<String, HostTensor> t = new LinkedHashMap<>(llavaNewNames());
            SafeTensorsWriter.writeShardedHost(dir, t, Map.of(), 1024, dt);
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertEquals(t.keySet().stream().sorted().toList(), c.names().stream().sorted().toList());
                for (String n : t.keySet()) {
                    assertEquals(dt, c.info(n).dtype());
                    float[] want = t.get(n).data();
                    float[] got = c.loadFloats(n);
                    for (int i = 0; i < want.length; i++) {
                        float tol = Math.max(Math.abs(want[i]) * (dt == TensorDType.BF16 ? 1f / 256 : 1f / 2048), 0x1p-24f);
                        assertEquals(want[i], got[i], tol, n + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void resavingReplacesAllOldShardsAndSwitchesLayoutsCleanly() throws IOException {
        SafeTensorsWriter.writeShardedHost(tmp, llavaOldNames(), Map.of(), 2 * 1024, TensorDType.F32);
        long before = files(tmp).stream().filter(n -> n.startsWith("model-")).count();
        SafeTensorsWriter.writeShardedHost(tmp, llavaOldNames(), Map.of(), 8 * 1024, TensorDType.F32);
        List<String> after = files(tmp);
        long shards = after.stream().filter(n -> n.startsWith("model-")).count();
        assertTrue(shards < before, before + " -> " + after);
        assertTrue(after.stream().filter(n -> n.startsWith("model-"))
                .allMatch(n -> n.endsWith(String.format("-of-%05d.safetensors", shards))), after.toString());
        SafeTensorsWriter.writeShardedHost(tmp, llavaNewNames(), Map.of(), Long.MAX_VALUE, TensorDType.F32);
        assertEquals(List.of("model.safetensors"), files(tmp));
        try (Checkpoint c = Checkpoint.open(tmp)) {
            assertSameContents(llavaNewNames(), c);
        }
    }

    @Test
    void indexOfAnEarlierSaveOverNewShardsIsDetected() throws IOException {
        Path dir = tmp.resolve("ck");
        SafeTensorsWriter.writeShardedHost(dir, llavaOldNames(), Map.of(), 4 * 1024, TensorDType.F32);
        Path oldIndex = Files.copy(dir.resolve("model.safetensors.index.json"), tmp.resolve("old-index.json"));
        SafeTensorsWriter.writeShardedHost(dir, llavaOldNames(), Map.of(), 4 * 1024, TensorDType.F32);
        // simulate a crash after the shards moved but before the new index did
        Files.copy(oldIndex, dir.resolve("model.safetensors.index.json"), StandardCopyOption.REPLACE_EXISTING);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("mixes files of two saves"), e.getMessage());
    }

    @Test
    void whenBothLayoutsExistTheNewerWins() throws IOException {
        SafeTensorsWriter.writeShardedHost(tmp, llavaOldNames(), Map.of(), 4 * 1024, TensorDType.F32);
        SafeTensorsWriter.writeHost(tmp.resolve("model.safetensors"), llavaNewNames(), Map.of());
        Files.setLastModifiedTime(tmp.resolve("model.safetensors.index.json"), FileTime.fromMillis(1000));
        try (Checkpoint c = Checkpoint.open(tmp)) {
            assertTrue(c.has("lm_head.weight"));
        }
    }

    @Test
    void missingTensorNamesTheCheckpointAndCloseNames() {
        SafeTensorsWriter.writeShardedHost(tmp, llavaOldNames(), Map.of(), 4 * 1024, TensorDType.F32);
        try (Checkpoint c = Checkpoint.open(tmp)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> c.load("model.language_model.layers.1.self_attn.q_proj.weight", manager));
            assertTrue(e.getMessage().contains("'model.language_model.layers.1.self_attn.q_proj.weight'"));
            assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("close names: language_model.model.layers.1.self_attn.q_proj.weight"),
                    e.getMessage());
            assertFalse(c.has("lm_head.weight"));
        }
    }

    @Test
    void misShapedTensorNamesTensorFileExpectedAndActual() {
        SafeTensorsWriter.writeShardedHost(tmp, llavaOldNames(), Map.of(), Long.MAX_VALUE, TensorDType.F32);
        try (Checkpoint c = Checkpoint.open(tmp)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> c.load("language_model.lm_head.weight", new long[] {32000, 16}, manager));
            String m = e.getMessage();
            assertTrue(m.contains("'language_model.lm_head.weight'") && m.contains("model.safetensors")
                    && m.contains("[50, 16]") && m.contains("[32000, 16]"), m);
        }
    }

    @Test
    void indexPointingAtAMissingShardIsAClearError() throws IOException {
        Files.writeString(tmp.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"lm_head.weight\":\"model-00009-of-00009.safetensors\"}}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains("'lm_head.weight'")
                && e.getMessage().contains("model-00009-of-00009.safetensors")
                && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void indexNamingATensorItsShardLacksIsAClearError() throws IOException {
        SafeTensorsWriter.writeHost(tmp.resolve("part.safetensors"), llavaNewNames(), Map.of());
        Files.writeString(tmp.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"lm_head.bias\":\"part.safetensors\"}}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains("'lm_head.bias'") && e.getMessage().contains("does not contain it")
                && e.getMessage().contains("lm_head.weight"), e.getMessage());
    }

    @Test
    void projectorOnlyFileIsNotMistakenForAModel() {
        SafeTensorsWriter.writeHost(tmp.resolve("mm_projector.safetensors"),
                Map.of("model.mm_projector.0.weight", tensor(1, 16, 8)), Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains("mm_projector.safetensors")
                && e.getMessage().contains("model.safetensors"), e.getMessage());
        try (Checkpoint c = Checkpoint.open(tmp, "mm_projector.safetensors")) {
            assertArrayEquals(new long[] {16, 8}, c.info("model.mm_projector.0.weight").shape());
        }
        try (Checkpoint c = Checkpoint.open(tmp.resolve("mm_projector.safetensors"))) {
            assertTrue(c.has("model.mm_projector.0.weight"));
        }
    }

    @Test
    void pytorchPickleCheckpointIsNamedAsUnsupported() throws IOException {
        Files.write(tmp.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("not supported"),
                e.getMessage());
    }

    @Test
    void missingDirectoryIsAClearError() {
        Path nowhere = tmp.resolve("absent");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(nowhere));
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
    }
}
