package org.tga4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalProbabilityTest {
    @TempDir Path dir;

    private static String row(String setting, String expected, String mass) {
        return "{\"setting\":\"" + setting + "\",\"expected\":\"" + expected + "\",\"output\":\"x\","
                + "\"first_token_refusal_mass\":" + mass + "}\n";
    }

    @Test
    void meansPerSettingAndExpectationLeavingOutTheRetrievedTextSetting() throws Exception {
        Path f = dir.resolve("generations.jsonl");
        Files.writeString(f, row("plain", "REFUSE", "0.2") + row("plain", "REFUSE", "0.4") + row("plain", "ANSWER", "0.1")
                + row("text", "REFUSE", "1.0") + row("text", "ANSWER", "0.0") + row("tga", "REFUSE", "0.9") + "\n");
        RefusalProbability p = RefusalProbability.of(f);
        assertEquals(0.3, p.hazardousImage(), 1e-12);
        assertEquals(0.1, p.benignImage(), 1e-12);
        assertEquals(1.0, p.hazardousText(), 1e-12);
        assertEquals(0.0, p.benignText(), 1e-12);
    }

    @Test
    void aSettingWithoutQueriesIsNaNAndAMissingMassNamesTheLine() throws Exception {
        Path f = dir.resolve("generations.jsonl");
        Files.writeString(f, row("plain", "REFUSE", "0.5"));
        assertTrue(Double.isNaN(RefusalProbability.of(f).benignText()));
        Files.writeString(f, row("plain", "REFUSE", "0.5") + row("plain", "ANSWER", "null"));
        Exception e = assertThrows(IllegalStateException.class, () -> RefusalProbability.of(f));
        assertTrue(e.getMessage().contains("generations.jsonl:2"), e.getMessage());
    }
}
