package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tga index → tga retrieve --json → tga augment, in-process through picocli. */
class RetrievalCommandsTest {
    @TempDir Path tmp;

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.newCommandLine().execute(args);
            assertEquals(0, rc, "tga " + String.join(" ", args) + " failed:\n" + buf);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void indexRetrieveAugment() throws Exception {
        Path caps = Files.writeString(tmp.resolve("captions.jsonl"), """
                {"id": "k1", "text": "a kitchen knife with a wooden handle on a table"}
                {"id": "k2", "contents": "a sharp knife next to a cutting board"}
                {"id": "d1", "text": "a brown dog sleeping on a sofa"}
                """);
        Path idx = tmp.resolve("index");
        String out = run("index", "--captions", caps.toString(), "--index", idx.toString(), "--k1", "1.2", "--b", "0.75");
        assertTrue(out.contains("holds 3 captions") && out.contains("k1=1.2 b=0.75"), out);

        JsonNode hits = new ObjectMapper().readTree(run("retrieve", "--index", idx.toString(), "--query", "knife (sharp) && \"board", "-k", "2", "--json"));
        assertEquals(2, hits.size());
        assertEquals("k2", hits.get(0).get("id").asText());
        assertEquals("bm25", hits.get(0).get("retriever").asText());

        Path data = Files.writeString(tmp.resolve("data.json"), """
                [{"id": "k1", "image": "k1.jpg", "conversations": [{"from": "human", "value": "<image>\\nDescribe the image."},
                  {"from": "gpt", "value": "a kitchen knife with a wooden handle on a table"}]}]
                """);
        Path aug = tmp.resolve("aug.json");
        out = run("augment", "--index", idx.toString(), "--data", data.toString(), "--out", aug.toString());
        assertTrue(out.contains("1 augmented"), out);
        JsonNode rec = new ObjectMapper().readTree(aug.toFile()).get(0);
        assertEquals("a sharp knife next to a cutting board", rec.get("retrieved_caption").asText());
        assertEquals("k2", rec.get("retrieval").get("source_id").asText());
        assertEquals("exclude-self", rec.get("retrieval").get("rule").asText());
    }
}
