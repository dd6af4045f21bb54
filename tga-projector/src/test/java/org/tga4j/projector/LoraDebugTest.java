package org.tga4j.projector;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoraDebugTest {
    @Test
    void debug() throws Exception {
        LoraTest.tmp = java.nio.file.Files.createTempDirectory("loradbg"); LoraTest.setUp();
        for (int rank : new int[] {0, 4}) { double drop = 0;
            TrainConfig base = Fixtures.config(LoraTest.model, LoraTest.data, LoraTest.world.resolve("images"), LoraTest.tmp.resolve("u"), 2, "tga")
                    .withOverrides(Map.of("loraRank", rank, "loraAlpha", 8.0, "loraDropout", drop, "loraTargets",
                            List.of("q_proj", "v_proj", "down_proj"), "batchSize", 2, "gradientAccumulation", 2,
                            "maxSteps", 4, "saveEvery", 1, "learningRate", 5e-3, "template", "llava_v1"));
            for (int rep = 0; rep < 1; rep++) {
                Path out = LoraTest.tmp.resolve("dbg" + rank + "-" + System.nanoTime());
                try { new Trainer(base.withOverrides(Map.of("output", out.toString())), null).run(false); } catch (NonFiniteLossException e) { System.out.println("drop NaN rank " + rank + ": " + e.getMessage()); continue; }
                StringBuilder sb = new StringBuilder("drop rank " + rank + " rep " + rep + ":");
                for (StepMetrics m : MetricsLog.read(out.resolve("metrics.jsonl"))) sb.append(' ').append(m.loss());
                System.out.println(sb);
            }
        }
    }
}
