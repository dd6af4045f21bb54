package org.tga4j.projector;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * Training-step throughput, LLaVA baseline against TGA, on a random llava checkpoint and TinyWorld instruction
 * records (stage 2 shape: projector trained, TGA prompts carry the retrieved text, the caption target pass runs).
 * Both methods see the same records in the same length-bucketed batches; their steps alternate so that machine
 * load affects both alike. A step is everything an optimiser step costs: frozen vision features, (TGA) the
 * no-gradient caption pass, forward and backward, clipping and AdamW.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /** A model size to measure. */
    public record Size(String name, RandomModels.Spec spec) {
        /** TinyWorld-sized: 4 layers, hidden 128, CLIP 2 x 64 on 64x64 images (64 image tokens). */
        public static Size tinyWorld() {
            return new Size("tinyworld", new RandomModels.Spec("llava", 4, 128, 4, 4, 0, 1000, 1, 2, 64, 64, 8));
        }

        /** ~100M parameters: 12 layers, hidden 768, MLP 2304, vocab 4000, CLIP 4 x 256 (64 image tokens). */
        public static Size hundredMillion() {
            return new Size("100m", new RandomModels.Spec("llava", 12, 768, 12, 12, 2304, 4000, 1, 4, 256, 64, 8));
        }
    }

    /**
     * What was measured for one size.
     *
     * @param stepRatio TGA step time / baseline step time (wall clock)
     * @param cpuRatio TGA / baseline process CPU time per step (less sensitive to other load on the machine)
     * @param lmOnlyTgaPromptStepMs step time of the LM loss alone on the TGA prompts (retrieved text included)
     * @param alignmentOverheadRatio TGA step / LM-only step on the same prompts: the cost of the alignment itself
     *     (the no-gradient caption pass and the pooled cosines), without the longer prompt's
     * @param alignmentOverheadCpuRatio the same in process CPU time
     * @param peakRssMb the process's peak resident set during the steps, with both models (two copies of the weights)
     *     loaded (VmHWM, reset after set-up; -1 when unknown)
     */
    public record Result(String model, long parameters, int imageTokens, int batchSize, int steps,
            double baselineMeanTokens, double tgaMeanTokens, double baselineStepMs, double tgaStepMs,
            double baselineSamplesPerSecond, double tgaSamplesPerSecond, double baselineTokensPerSecond,
            double tgaTokensPerSecond, double stepRatio, double baselineCpuMs, double tgaCpuMs, double cpuRatio,
            double lmOnlyTgaPromptStepMs, double alignmentOverheadRatio, double alignmentOverheadCpuRatio,
            double peakRssMb, int cores) {}

    /** Measures one size in {@code work} (model and world are created there). */
    public static Result run(Path work, Size size, int batchSize, int steps, Consumer<String> log) throws IOException {
        Path model = model(work, size, log);
        Path world = world(work, size, batchSize, steps, log);
        List<LlavaRecord> records = augmentedInstruct(world);
        // As Trainer does; -Dtga.bench.defaultMalloc=true measures with glibc's defaults instead.
        if (!Boolean.getBoolean("tga.bench.defaultMalloc")) log.accept(size.name() + ": " + NativeHeap.retainFreedMemory());
        TrainConfig tga = TrainConfig.defaults(2).withOverrides(Map.of("method", TrainConfig.TGA));
        TrainConfig baseline = tga.withOverrides(Map.of("method", TrainConfig.BASELINE));
        try (TrainingModel bm = TrainingModel.load(model, false); TrainingModel tm = TrainingModel.load(model, false);
                TextTokenizer tok = TextTokenizer.load(model)) {
            ExampleSets sets = ExampleSets.encode(model, world, tok, bm.config(), records, baseline, tga);
            List<TrainingExample> be = sets.baseline(), te = sets.tga(), se = sets.lmOnlyOnTgaPrompts();
            int[] lengths = te.stream().mapToInt(TrainingExample::length).toArray();
            List<int[]> plan = LengthBatcher.plan(lengths, batchSize, 1, 0);
            LayerBand band = LayerBand.middleThird(bm.config().textConfig().numHiddenLayers());
            ClipImageProcessor images = ClipImageProcessor.fromModelDir(model);
            Runner b = new Runner(bm, new TrainStep(bm, new TgaLoss(band, 0.25, 0.10, false), images), tok.padId());
            Runner t = new Runner(tm, new TrainStep(tm, new TgaLoss(band, 0.25, 0.10, false), images), tok.padId());
            Runner lmOnly = new Runner(bm, new TrainStep(bm, new TgaLoss(band, 0.25, 0.10, false), images), tok.padId());
            try (b; t; lmOnly) {
                System.gc();
                resetPeakRss(); // the peak of the training steps, not of writing the random checkpoint
                log.accept(size.name() + ": warm-up");
                b.step(rows(be, plan.get(0)), false);
                t.step(rows(te, plan.get(0)), false);
                lmOnly.step(rows(se, plan.get(0)), false);
                for (int s = 1; s <= steps; s++) {
                    int[] batch = plan.get(s % plan.size());
                    List<Runnable> order = new ArrayList<>(List.of(() -> b.step(rows(be, batch), true),
                            () -> t.step(rows(te, batch), true), () -> lmOnly.step(rows(se, batch), true)));
                    java.util.Collections.rotate(order, s);
                    order.forEach(Runnable::run);
                    log.accept(String.format("%s: step %d/%d  baseline %.0f ms  tga %.0f ms  (lm-only on tga prompts %.0f ms)",
                            size.name(), s, steps, b.lastMs, t.lastMs, lmOnly.lastMs));
                }
            }
            long params = bm.model().parameters().count();
            return new Result(size.name(), params, bm.config().imageTokensPerImage(), batchSize, steps,
                    b.tokens / (double) b.samples, t.tokens / (double) t.samples, b.nanos / 1e6 / steps,
                    t.nanos / 1e6 / steps, b.samples / (b.nanos / 1e9), t.samples / (t.nanos / 1e9),
                    b.tokens / (b.nanos / 1e9), t.tokens / (t.nanos / 1e9), t.nanos / (double) b.nanos,
                    b.cpuNanos / 1e6 / steps, t.cpuNanos / 1e6 / steps, t.cpuNanos / (double) b.cpuNanos,
                    lmOnly.nanos / 1e6 / steps, t.nanos / (double) lmOnly.nanos, t.cpuNanos / (double) lmOnly.cpuNanos,
                    peakRssMb(),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** The examples at the given indices (a batch of a length plan). */
    static List<TrainingExample> rows(List<TrainingExample> all, int[] idx) {
        List<TrainingExample> out = new ArrayList<>();
        for (int i : idx) out.add(all.get(i));
        return out;
    }

    /** One method's model, optimiser and running totals. */
    private static final class Runner implements AutoCloseable {
        final TrainingModel model;
        final TrainStep step;
        final AdamW optimizer;
        final int padId;
        long nanos, cpuNanos, tokens, samples;
        double lastMs;

        Runner(TrainingModel model, TrainStep step, int padId) {
            this.model = model;
            this.step = step;
            this.padId = padId;
            this.optimizer = new AdamW(model.trainable(), model.trainable().keySet(), 0.9, 0.999, 1e-8, 0, model.weights());
        }

        void step(List<TrainingExample> rows, boolean timed) {
            long t0 = System.nanoTime(), c0 = cpuTime();
            Batch batch = Batch.of(rows, padId);
            try (NDManager m = model.weights().newSubManager()) {
                TrainStep.StepValues v = step.run(m, batch, 0.5, 1.0);
                if (!v.finite()) throw new IllegalStateException("benchmark loss is not finite: " + v);
            }
            optimizer.clipGradients(1.0);
            optimizer.step(1e-4);
            long dt = System.nanoTime() - t0, dc = cpuTime() - c0;
            lastMs = dt / 1e6;
            if (timed) {
                nanos += dt;
                cpuNanos += dc;
                tokens += batch.tokens();
                samples += batch.rows();
            }
        }

        @Override
        public void close() {
            optimizer.close();
        }
    }

    /** The size's random checkpoint in {@code work}, written on first use. */
    static Path model(Path work, Size size, Consumer<String> log) {
        Path model = work.resolve(size.name() + "-model");
        if (!Files.exists(model.resolve("config.json"))) {
            log.accept(size.name() + ": writing random checkpoint");
            RandomModels.write(size.spec(), model, true);
        }
        return model;
    }

    /** A TinyWorld in {@code work} with enough instruction records for {@code steps} batches, generated on first use. */
    static Path world(Path work, Size size, int batchSize, int steps, Consumer<String> log) throws IOException {
        Path world = work.resolve("world-" + size.spec().imageSize());
        if (!Files.exists(world.resolve("world.json"))) {
            log.accept(size.name() + ": generating TinyWorld");
            new TinyWorldGenerator(new TinyWorldConfig(5, Math.max(64, batchSize * (steps + 2) * 2),
                    size.spec().imageSize(), 0.8, 0.1, 2), null).generate(world, true);
        }
        return world;
    }

    /**
     * The same records encoded three ways: baseline prompts, TGA prompts (retrieved text, alignment targets), and the
     * TGA prompts without alignment targets (trained with the LM loss alone: the TGA step's cost without the
     * alignment's).
     */
    record ExampleSets(List<TrainingExample> baseline, List<TrainingExample> tga, List<TrainingExample> lmOnlyOnTgaPrompts) {
        static ExampleSets encode(Path model, Path world, TextTokenizer tok, LlavaConfig config, List<LlavaRecord> records,
                TrainConfig baselineConfig, TrainConfig tgaConfig) {
            ChatTemplate template = ChatTemplates.detect(model, "llama");
            ImageRoot root = new ImageRoot(world.resolve("images"));
            ExampleEncoder baselineEncoder = new ExampleEncoder(template, tok, config, root, baselineConfig);
            ExampleEncoder tgaEncoder = new ExampleEncoder(template, tok, config, root, tgaConfig);
            List<TrainingExample> baseline = new ArrayList<>(), tga = new ArrayList<>(), lmOnly = new ArrayList<>();
            for (LlavaRecord r : records) {
                baseline.add(baselineEncoder.encode(r));
                TrainingExample x = tgaEncoder.encode(r);
                tga.add(x);
                lmOnly.add(new TrainingExample(x.id(), x.prompt(), x.image(), null, new int[0]));
            }
            return new ExampleSets(baseline, tga, lmOnly);
        }
    }

    /** TinyWorld instruction records with image_caption (the pretraining caption) and another image's caption as the retrieved text. */
    static List<LlavaRecord> augmentedInstruct(Path world) throws IOException {
        Map<String, String> captionOf = new HashMap<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(world.resolve("llava/pretrain_train.json"), BadRecordReport.failing())) {
            captionOf.put(r.image(), r.firstAnswer());
        }
        List<String> captions = new ArrayList<>(captionOf.values());
        List<LlavaRecord> out = new ArrayList<>();
        int i = 0;
        for (LlavaRecord r : LlavaJsonReader.readAll(world.resolve("llava/instruct_train.json"), BadRecordReport.failing())) {
            String caption = captionOf.get(r.image());
            String retrieved = captions.get((i++ * 7 + 3) % captions.size());
            out.add(r.withTga(caption, retrieved, new LlavaRecord.RetrievalInfo("bench", 0, "exclude-self", null)));
        }
        return out;
    }

    /** CPU time of the whole process (all threads, native intra-op threads included), in ns. */
    static long cpuTime() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not permitted: the peak then covers the whole process
        }
    }

    /** VmHWM of this process in MB, or -1. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
