package org.tga4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tga4j.projector.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tga bench train}: baseline vs TGA training-step throughput on a TinyWorld-sized and a ~100M model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Samples/s and tokens/s of LLaVA-baseline and TGA training steps, peak RSS, TGA/baseline step-time ratio.")
public final class BenchTrainCommand implements Callable<Integer> {
    static final double RATIO_FLOOR = 1.35;

    @Option(names = "--sizes", split = ",", defaultValue = "tinyworld,100m",
            description = "model sizes: tinyworld, 100m (default ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--batch-size", defaultValue = "4", description = "samples per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--steps", defaultValue = "6", description = "timed steps per method and size (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--out", defaultValue = "tga-out/bench", paramLabel = "DIR",
            description = "where train.json and the benchmark models go (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path work = out.resolve("train-work");
        List<TrainBenchmark.Result> results = new ArrayList<>();
        for (String s : sizes) {
            TrainBenchmark.Size size = switch (s.trim()) {
                case "tinyworld" -> TrainBenchmark.Size.tinyWorld();
                case "100m" -> TrainBenchmark.Size.hundredMillion();
                default -> throw new IllegalArgumentException("unknown size '" + s + "' (expected tinyworld or 100m)");
            };
            results.add(TrainBenchmark.run(work, size, batchSize, steps, msg -> System.err.println("bench: " + msg)));
        }
        System.out.println();
        System.out.printf("%-10s %7s %5s | %9s %9s %10s | %9s %9s %10s | %6s %9s %9s%n", "model", "params", "batch",
                "base ms", "base s/s", "base tok/s", "tga ms", "tga s/s", "tga tok/s", "ratio", "cpu ratio", "peak RSS");
        List<String> notes = new ArrayList<>();
        boolean ok = true;
        for (TrainBenchmark.Result r : results) {
            System.out.printf("%-10s %6.1fM %5d | %9.0f %9.2f %10.0f | %9.0f %9.2f %10.0f | %5.2fx %8.2fx %6.0f MB%n",
                    r.model(), r.parameters() / 1e6, r.batchSize(), r.baselineStepMs(), r.baselineSamplesPerSecond(),
                    r.baselineTokensPerSecond(), r.tgaStepMs(), r.tgaSamplesPerSecond(), r.tgaTokensPerSecond(),
                    r.stepRatio(), r.cpuRatio(), r.peakRssMb());
            notes.add(String.format("%s: alignment overhead on identical prompts (TGA step / LM-only step on the TGA"
                    + " prompts): %.2fx wall, %.2fx CPU; TGA prompts average %.0f tokens vs %.0f for the baseline's",
                    r.model(), r.alignmentOverheadRatio(), r.alignmentOverheadCpuRatio(), r.tgaMeanTokens(),
                    r.baselineMeanTokens()));
            ok &= r.stepRatio() <= RATIO_FLOOR;
        }
        notes.forEach(System.out::println);
        System.out.printf("TGA/baseline step-time ratio floor: <= %.2fx — %s%n", RATIO_FLOOR, ok ? "met" : "NOT met");
        System.out.printf("machine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Path json = out.resolve("train.json");
        Path tmp = out.resolve(".train.json.tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), Map.of(
                "results", results, "ratioFloor", RATIO_FLOOR, "floorMet", ok,
                "cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version")));
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + json);
        return 0;
    }
}
