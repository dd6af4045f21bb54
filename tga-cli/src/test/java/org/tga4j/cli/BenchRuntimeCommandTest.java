package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.cli.bench.EngineResult;

/** {@code tga bench runtime} end to end on a tiny generated checkpoint (figures are not asserted, only produced). */
class BenchRuntimeCommandTest {
    @TempDir Path dir;

    @Test
    void benchmarksEveryEngineOnAGeneratedModelAndWritesJsonAndChart() throws Exception {
        Path model = dir.resolve("model"), out = dir.resolve("out");
        int rc = Main.newCommandLine().execute("bench", "runtime", "--model-dir", model.toString(), "--out",
                out.toString(), "--layers", "1", "--hidden", "64", "--heads", "4", "--kv-heads", "2", "--vocab", "600",
                "--prompt-tokens", "12", "--decode-tokens", "3", "--batch", "2", "--warmup", "0", "--repeats", "1",
                "--in-process");
        assertEquals(0, rc);
        assertTrue(Files.exists(model.resolve("model.safetensors")), "the checkpoint is generated when absent");
        JsonNode doc = new ObjectMapper().readTree(out.resolve("runtime-bench.json").toFile());
        assertEquals(2, doc.get("model").get("kv_heads").asInt());
        JsonNode engines = doc.get("engines");
        assertEquals(List.of("tga4j", "tga4j-fp16", "jlama"),
                List.of(engines.get(0).get("engine").asText(), engines.get(1).get("engine").asText(),
                        engines.get(2).get("engine").asText()), "the default engines, in order");
        assertEquals("batched", engines.get(0).get("batchMode").asText());
        assertEquals("sequential", engines.get(2).get("batchMode").asText());
        for (JsonNode e : engines) {
            for (String f : List.of("prefillTokensPerSecond", "decodeTokensPerSecond", "batchDecodeTokensPerSecond")) {
                assertTrue(e.get(f).asDouble() > 0, e.get("engine") + " " + f);
            }
        }
        for (int i = 0; i < 2; i++) {
            String ours = engines.get(i).get("engine").asText();
            assertEquals(engines.get(i).get("decodeTokensPerSecond").asDouble()
                    / engines.get(2).get("decodeTokensPerSecond").asDouble(),
                    doc.get("ratios_over_jlama").get(ours).get("decode_batch1_tokens_per_s").asDouble(), 1e-9, ours);
            assertTrue(doc.get("floors").get(ours).has("decode_batch1_vs_jlama"), ours);
            assertTrue(doc.get("floors").get(ours).has("batch2_vs_4x_batch1"), ours);
        }
        // float16 projection weights: the model's weights in less memory than float32's.
        double full = engines.get(0).get("weightMiB").asDouble(), half = engines.get(1).get("weightMiB").asDouble();
        assertTrue(half > 0.5 * full && half < 0.8 * full, half + " vs " + full + " MiB");
        assertTrue(Files.size(out.resolve("runtime-bench.png")) > 1000);
    }

    @Test
    void rejectsAnUnknownEngine() {
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("bench", "runtime", "--model-dir", dir.resolve("m").toString(), "--engines", "onnx");
        assertEquals(1, rc);
        assertTrue(err.toString().contains("unknown engine 'onnx'"), err.toString());
    }

    @Test
    void refusesShapeOptionsThatTheExistingCheckpointDoesNotHave() {
        Path model = dir.resolve("model");
        org.tga4j.runtime.RandomModels.write(org.tga4j.runtime.RandomModels.Spec.llama(1, 64, 4, 2, 600, 0), model);
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("bench", "runtime", "--model-dir", model.toString(), "--layers", "16", "--repeats", "0");
        assertEquals(1, rc);
        assertTrue(err.toString().contains("--layers 16 was given, but the checkpoint in " + model + " has 1"),
                err.toString());
    }

    @Test
    void roundsCombineAsMediansWithMaximumMemory() {
        EngineResult a = new EngineResult("x", 1, 10, 5, 40, "batched", 100, 50, 2, 1.0);
        EngineResult b = new EngineResult("x", 3, 30, 7, 20, "batched", 300, 50, 2, 3.0);
        EngineResult c = new EngineResult("x", 2, 20, 6, 30, "batched", 200, 50, 2, 2.0);
        EngineResult m = EngineResult.median(List.of(a, b, c));
        assertEquals(new EngineResult("x", 2, 20, 6, 30, "batched", 300, 50, 2, 2.0), m);
    }
}
