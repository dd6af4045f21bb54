package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TinyWorldCommandTest {
    @TempDir Path dir;

    @Test
    void generatesAWorldAndRefusesToOverwriteIt() throws Exception {
        Path out = dir.resolve("tw");
        StringWriter so = new StringWriter(), se = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(so, true));
        cl.setErr(new PrintWriter(se, true));
        int rc = cl.execute("tinyworld", "generate", "--out", out.toString(), "--seed", "5", "--images", "42",
                "--size", "48", "--no-progress");
        assertEquals(0, rc, se.toString());
        assertTrue(so.toString().contains("42 images of 48x48"), so.toString());
        assertTrue(Files.isRegularFile(out.resolve("world.json")));
        assertTrue(Files.isRegularFile(out.resolve("llava/pretrain_train.json")));
        assertTrue(Files.readString(out.resolve("world.json")).contains("\"size\" : 48"));

        CommandLine again = Main.newCommandLine();
        StringWriter err = new StringWriter();
        again.setErr(new PrintWriter(err, true));
        assertEquals(1, again.execute("tinyworld", "generate", "--out", out.toString(), "--seed", "5", "--no-progress"));
        assertTrue(err.toString().contains("refusing to overwrite"), err.toString());

        // --force replaces the world (here with a smaller one) once the new one is complete.
        CommandLine forced = Main.newCommandLine();
        forced.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(0, forced.execute("tinyworld", "generate", "--out", out.toString(), "--seed", "5", "--images", "20",
                "--size", "48", "--no-progress", "--force"));
        assertTrue(Files.readString(out.resolve("world.json")).contains("\"images\" : 20"),
                Files.readString(out.resolve("world.json")).substring(0, 300));

        CommandLine bad = Main.newCommandLine();
        bad.setErr(new PrintWriter(new StringWriter(), true));
        assertNotEquals(0, bad.execute("tinyworld", "generate", "--out", dir.resolve("x").toString(), "--seed", "1", "--size", "4"));
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
