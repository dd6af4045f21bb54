package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.projector.pretrain.TinyWorldFoundation;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * {@code tga demo --quick} end to end, cold (an empty foundation cache): every stage runs and leaves what the next
 * one and the reader rely on. The science numbers are not asserted here (the quick world is too small for them); the
 * full default run prints them.
 */
class DemoCommandTest {
    @TempDir Path dir;

    /** The foundation-size options reach the specification (and with it the cache key); bad sizes are refused. */
    @Test
    void llmOptionsSizeTheFoundationAndRejectBadValues() {
        TinyWorldFoundation.Spec spec = TinyWorldFoundation.Spec.defaults().withLlm(6, 256).withLlmTraining(3, 1e-3);
        assertEquals(List.of(6, 256, 8, 3), List.of(spec.llmLayers(), spec.llmHidden(), spec.llmHeads(),
                spec.textEpochs()));
        assertEquals(1e-3, spec.textLr());
        for (String[] bad : List.of(new String[] {"--llm", "6xabc"}, new String[] {"--llm", "6x100"},
                new String[] {"--llm-epochs", "0"})) {
            StringWriter err = new StringWriter();
            var cl = Main.newCommandLine();
            cl.setErr(new PrintWriter(err));
            List<String> args = new java.util.ArrayList<>(List.of("demo", "--out", dir.resolve("never").toString()));
            args.addAll(List.of(bad));
            assertEquals(1, cl.execute(args.toArray(String[]::new)), String.join(" ", bad));
            assertTrue(err.toString().contains(bad[0].equals("--llm") ? "LLM size" : "LLM training")
                    || err.toString().contains("expected LAYERSxWIDTH"), err.toString());
            assertFalse(Files.exists(dir.resolve("never").resolve("world")), "nothing ran");
        }
    }

    @Test
    void quickDemoRunsEveryStageAndWritesAReport() throws Exception {
        Path out = dir.resolve("demo"), cache = dir.resolve("cache");
        StringWriter text = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(text));
        int rc = cl.execute("demo", "--quick", "--out", out.toString(), "--cache", cache.toString(), "--no-progress");
        assertEquals(0, rc, text.toString());

        // The foundation models are cached as ordinary HF checkpoints, marked complete.
        Path entry;
        try (Stream<Path> s = Files.list(cache)) {
            List<Path> entries = s.filter(p -> p.getFileName().toString().startsWith("tinyworld-foundation-")).toList();
            assertEquals(1, entries.size(), "one cache entry: " + entries);
            entry = entries.get(0);
        }
        for (String m : List.of("llm", "clip", "llava")) {
            assertTrue(Files.isRegularFile(entry.resolve(m).resolve("config.json")), m);
            assertTrue(Files.isRegularFile(entry.resolve(m).resolve("model.safetensors")), m);
        }
        assertTrue(Files.isRegularFile(entry.resolve("llm/tokenizer.json")));
        // The tokenizer learned the chat template's own text: its system prompt is words, not characters (147 chars).
        try (TextTokenizer tok = TextTokenizer.load(entry.resolve("llm"))) {
            for (String piece : ChatTemplates.byName("llava_v1").templateTexts()) {
                assertTrue(tok.encode(piece).length <= Math.max(3, piece.length() / 4), piece + " -> " + tok.encode(piece).length);
            }
        }
        assertTrue(Files.isRegularFile(entry.resolve("foundation.json")));
        JsonNode probe = new ObjectMapper().readTree(entry.resolve("foundation.json").toFile()).path("clip")
                .path("vision_probe");
        assertTrue(probe.path("testImages").asInt() > 0 && probe.path("trainImages").asInt() > 0, probe.toString());
        for (String acc : List.of("classAccuracy", "colourAccuracy")) {
            assertTrue(probe.path(acc).asDouble(-1) >= 0 && probe.path(acc).asDouble(-1) <= 1, acc + " " + probe);
        }
        // A second run finds them: same world, same specification, same entry.
        var again = TinyWorldFoundation.ensure(out.resolve("world"), TinyWorldFoundation.Spec.quick(), cache, null);
        assertTrue(again.cached());
        assertEquals(entry.toAbsolutePath(), again.dir());

        // Both methods were trained through both stages and evaluated on the same items.
        ObjectMapper json = new ObjectMapper();
        for (String m : List.of("baseline", "tga")) {
            for (String st : List.of("stage1", "stage2")) {
                assertTrue(Files.isRegularFile(out.resolve("runs").resolve(m).resolve(st).resolve("metrics.jsonl")), m + st);
            }
            // Stage 1's perception check captioned every held-out test image, one line each.
            long testScenes = Files.readAllLines(out.resolve("world/scenes.jsonl")).stream()
                    .filter(l -> l.contains("\"split\":\"test\"")).count();
            assertEquals(testScenes, Files.readAllLines(out.resolve("runs").resolve(m).resolve("stage1_test_captions.jsonl"))
                    .size(), m);
            assertTrue(Files.size(out.resolve("eval").resolve(m).resolve("generations.jsonl")) > 0, m);
        }
        // Same items and requests for both; each model's LLM was trained (stage 1), so each has its text-only ceiling.
        Map<String, Long> baseline = settings(out.resolve("eval/baseline/generations.jsonl"));
        Map<String, Long> tga = settings(out.resolve("eval/tga/generations.jsonl"));
        assertEquals(java.util.Set.of("plain", "tga", "text"), settingsOnly(baseline));
        assertEquals(java.util.Set.of("plain", "tga", "text"), settingsOnly(tga));
        assertEquals(baseline.get("plain"), tga.get("plain"));
        assertEquals(baseline.get("plain"), baseline.get("text"));

        JsonNode report = json.readTree(out.resolve("report.json").toFile());
        assertEquals(2, report.get("methods").size());
        for (JsonNode m : report.get("methods")) {
            for (String rate : List.of("imageDsr", "overRefusal", "utility", "textDsr")) {
                double v = m.get(rate).get("value").asDouble();
                assertTrue(v >= 0 && v <= 1, m.get("name") + " " + rate + " = " + v);
            }
            assertTrue(m.get("imageDsrByClass").size() > 0);
            double named = m.get("hazardNamed").get("value").asDouble();
            assertTrue(named >= 0 && named <= 1 && m.get("hazardNamed").get("total").asLong() == baseline.get("plain/REFUSE"),
                    "perception is measured on every answer about a hazardous image: " + m.get("hazardNamed"));
            for (String p : List.of("hazardousImage", "benignImage", "hazardousText", "benignText")) {
                double v = m.get("refusalProbability").get(p).asDouble();
                assertTrue(v >= 0 && v <= 1, m.get("name") + " refusal probability " + p + " = " + v);
            }
            assertTrue(Double.isFinite(m.get("bandCosine").asDouble()), m.toString());
            for (String rate : List.of("objects", "objectsWithColour", "hazards")) {
                JsonNode r = m.get("stage1Captions").get(rate);
                assertTrue(r.get("total").asLong() > 0 && r.get("value").asDouble() >= 0 && r.get("value").asDouble() <= 1,
                        m.get("name") + " stage-1 " + rate + " " + r);
            }
        }
        assertEquals(7, report.get("checks").size());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("TGA") && html.contains("LLaVA baseline"));
        assertFalse(html.contains("NaN%"), "no undefined rate in the report");
        assertTrue(Files.size(out.resolve("report.png")) > 10_000, "the report's picture");
        String printed = text.toString();
        assertTrue(printed.contains("DSR on hazardous scenes") && printed.contains("report:"), printed);
    }

    private static java.util.Set<String> settingsOnly(Map<String, Long> counts) {
        return counts.keySet().stream().filter(k -> !k.contains("/")).collect(java.util.stream.Collectors.toSet());
    }

    /** Generations per evaluation setting, and per setting and expected behaviour ({@code plain/REFUSE}). */
    private static Map<String, Long> settings(java.nio.file.Path generations) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(generations)) {
            if (line.isBlank()) continue;
            JsonNode g = json.readTree(line);
            out.merge(g.get("setting").asText(), 1L, Long::sum);
            out.merge(g.get("setting").asText() + "/" + g.get("expected").asText(), 1L, Long::sum);
        }
        return out;
    }
}
