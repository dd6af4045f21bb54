package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.RandomModels;

/** {@code tga generate} on a generated checkpoint, in both weight precisions. */
class GenerateCommandTest {
    @TempDir Path dir;

    private static JsonNode generate(String... args) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.newCommandLine().execute(args));
        } finally {
            System.setOut(stdout);
        }
        return new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void float16WeightsGenerateWhatFloat32WeightsGenerate() throws Exception {
        Path model = RandomModels.write(RandomModels.Spec.llama(2, 64, 4, 2, 300, 3), dir.resolve("llama"));
        String[] common = {"generate", "--model", model.toString(), "--prompt", "Tell me a story",
            "--max-new-tokens", "8", "--json"};
        JsonNode full = generate(common);
        String[] half = java.util.Arrays.copyOf(common, common.length + 2);
        half[common.length] = "--precision";
        half[common.length + 1] = "float16";
        JsonNode approx = generate(half);
        assertEquals(8, full.get("token_ids").size());
        assertEquals(full.get("token_ids"), approx.get("token_ids"));
        assertEquals(full.get("text").asText(), approx.get("text").asText());
    }

    @Test
    void anUnknownPrecisionIsRejectedByName() {
        StringWriter err = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("generate", "--model", dir.toString(), "--prompt", "x", "--precision", "int4");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("unknown weight precision 'int4'"), err.toString());
    }
}
