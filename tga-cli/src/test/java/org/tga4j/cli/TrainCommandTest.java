package org.tga4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir Path dir;

    @Test
    void trainsFromAConfigFileWithFlagOverridesAndRefusesToOverwriteARun() throws Exception {
        Path model = RandomModels.write(new RandomModels.Spec("llava", 2, 64, 4, 2, 0, 400, 3, 2, 32, 32, 8),
                dir.resolve("model"));
        Path world = dir.resolve("world");
        new TinyWorldGenerator(new TinyWorldConfig(3, 14, 32, 0.8, 0.1, 2), null).generate(world);
        Path config = dir.resolve("run.json");
        Files.writeString(config, "{\"stage\": 1, \"method\": \"tga\", \"batchSize\": 4, \"maxSteps\": 3,"
                + " \"learningRate\": 0.01, \"model\": \"" + model + "\"}");
        Path out = dir.resolve("run");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute("train", "--config", config.toString(), "--data",
                world.resolve("llava/pretrain_train.json").toString(), "--image-root", world.resolve("images").toString(),
                "-o", out.toString(), "--max-steps", "2", "--align-layers", "1..2", "--no-progress");
        assertEquals(0, rc, err.toString());
        var saved = new ObjectMapper().readTree(out.resolve("checkpoint/train_config.json").toFile());
        assertEquals(2, saved.get("maxSteps").asInt(), "flag overrides the config file");
        assertEquals(4, saved.get("batchSize").asInt(), "config file value kept");
        assertEquals(1, saved.get("alignLayerFirst").asInt());
        assertEquals(2, saved.get("alignLayerLast").asInt());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/mm_projector.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("loss_curve.png")));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());

        // a second run into the same output is refused; --resume picks the saved config up
        CommandLine again = Main.newCommandLine();
        StringWriter err2 = new StringWriter();
        again.setErr(new PrintWriter(err2, true));
        assertEquals(1, again.execute("train", "--config", config.toString(), "-o", out.toString(), "--data",
                world.resolve("llava/pretrain_train.json").toString(), "--no-progress"));
        assertTrue(err2.toString().contains("--resume"), err2.toString());
    }
}
