package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.runtime.RandomModels;

/** tga eval → tga judge → tga probe → tga compare on a TinyWorld and a random llava, in-process. */
class EvalCommandsTest {
    @TempDir Path tmp;

    private int run(StringWriter out, String... args) {
        var cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        if (rc != 0) System.err.println(err);
        return rc;
    }

    @Test
    void evalJudgeProbeCompare() throws Exception {
        Path world = tmp.resolve("world");
        new TinyWorldGenerator(new TinyWorldConfig(4, 60, 32, 0.8, 0.1, 2), null).generate(world);
        Path model = RandomModels.write(new RandomModels.Spec("llava", 2, 32, 2, 2, 0, 300, 5, 1, 32, 32, 8),
                tmp.resolve("llava"));
        Path clip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 6, 1, 32, 32, 8), tmp.resolve("clip"));
        String hazard = "manifest:" + world.resolve("safety/hazard_test.jsonl") + ":" + world.resolve("images");
        String benign = "manifest:" + world.resolve("safety/benign_test.jsonl") + ":" + world.resolve("images");
        Path out = tmp.resolve("eval");
        StringWriter so = new StringWriter();
        assertEquals(0, run(so, "eval", "--model", model.toString(), "--set", hazard, "--set", benign, "--out",
                out.toString(), "--max-new-tokens", "3", "--batch-size", "4", "--judge", "vlguard", "--judge", "xstest",
                "--clip", clip.toString(), "--captions", world.resolve("captions/captions.jsonl").toString(),
                "--bootstrap", "100", "--no-progress"));
        assertTrue(so.toString().contains("DSR"), so.toString());
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("vlguard", rep.path("results").path(0).path("judge").asText());
        assertEquals(3, rep.path("manifest").path("decoding").path("max_new_tokens").asInt());
        assertEquals(64, rep.path("manifest").path("model_sha256").asText().length());
        assertEquals("[\"plain\",\"tga\"]", rep.path("manifest").path("settings").toString());
        assertEquals("float32", rep.path("manifest").path("weight_precision").asText());
        assertTrue(Files.isDirectory(out.resolve("caption-index")), "dense caption index built from the corpus");

        // A second eval resumes everything from the generations file.
        StringWriter again = new StringWriter();
        assertEquals(0, run(again, "eval", "--model", model.toString(), "--set", hazard, "--set", benign, "--out",
                out.toString(), "--max-new-tokens", "3", "--batch-size", "4", "--judge", "vlguard", "--bootstrap", "100",
                "--clip", clip.toString(), "--retrieval-index", out.resolve("caption-index").toString(),
                "--no-progress"));
        assertTrue(again.toString().contains(" 0 generated"), again.toString());

        Path judged = tmp.resolve("judged");
        assertEquals(0, run(new StringWriter(), "judge", "--generations", out.resolve("generations.jsonl").toString(),
                "--judge", "gcg", "--judge", "first-token", "--report", out.resolve("report.json").toString(), "--out",
                judged.toString(), "--bootstrap", "100"));
        JsonNode rj = new ObjectMapper().readTree(judged.resolve("report.json").toFile());
        assertEquals("gcg", rj.path("results").path(0).path("judge").asText());
        assertEquals(rep.path("manifest").path("model_sha256").asText(), rj.path("manifest").path("model_sha256").asText());
        assertEquals("float32", rj.path("manifest").path("weight_precision").asText(), "re-judging keeps the precision");

        Path probe = tmp.resolve("probe");
        assertEquals(0, run(new StringWriter(), "probe", "--model", model.toString(), "--set", hazard, "--set", benign,
                "--out", probe.toString(), "--max-items", "3", "--precision", "float16"));
        JsonNode rp = new ObjectMapper().readTree(probe.resolve("report.json").toFile());
        assertEquals("float16", rp.path("manifest").path("weight_precision").asText());
        assertEquals(3, rp.path("probe").path("layers").asInt(), "2 decoder layers -> 3 hidden states");
        assertEquals(3, rp.path("probe").path("mean_cosine").size());

        Path cmp = tmp.resolve("compare.html");
        assertEquals(0, run(new StringWriter(), "compare", out.toString(), judged.resolve("report.json").toString(),
                probe.toString(), "--out", cmp.toString()));
        String html = Files.readString(cmp);
        assertTrue(html.contains("<svg") && html.contains("llava (re-judged)"), "side by side");

        assertNotEquals(0, run(new StringWriter(), "eval", "--model", model.toString(), "--set", "zip:/nope", "--out",
                out.toString()));
    }
}
