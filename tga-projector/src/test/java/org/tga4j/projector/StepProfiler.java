package org.tga4j.projector;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.Ops;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * A profiling harness, not a test: the phases of {@link TrainStep#run} timed one by one (wall and process CPU time)
 * for the LLaVA baseline, TGA, and the LM loss alone on the TGA prompts, on the {@code tga bench train} set-up
 * ({@link TrainBenchmark}'s records, batches and model sizes). PyTorch's CPU ops run eagerly, so a phase has finished
 * when its call returns; each phase still ends by reading one value back to be sure.
 *
 * <pre>
 * java -cp tga-projector/target/test-classes:tga-projector/target/classes:tga-cli/target/lib/* \
 *     org.tga4j.projector.StepProfiler WORK [tinyworld|100m] [steps] [batch]
 * </pre>
 */
public final class StepProfiler {
    static final String[] PHASES = {"collate", "vision", "caption", "proj+fwd", "loss", "backward", "scalars", "optim"};

    private StepProfiler() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/profile");
        TrainBenchmark.Size size = args.length > 1 && args[1].equals("100m")
                ? TrainBenchmark.Size.hundredMillion() : TrainBenchmark.Size.tinyWorld();
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path model = TrainBenchmark.model(work, size, System.out::println);
        Path world = TrainBenchmark.world(work, size, batchSize, steps, System.out::println);
        List<LlavaRecord> records = TrainBenchmark.augmentedInstruct(world);
        if (!Boolean.getBoolean("tga.bench.defaultMalloc")) System.out.println(NativeHeap.retainFreedMemory());
        TrainConfig tga = TrainConfig.defaults(2).withOverrides(Map.of("method", TrainConfig.TGA));
        TrainConfig baseline = tga.withOverrides(Map.of("method", TrainConfig.BASELINE));
        try (TrainingModel bm = TrainingModel.load(model, false); TrainingModel tm = TrainingModel.load(model, false);
                TextTokenizer tok = TextTokenizer.load(model)) {
            TrainBenchmark.ExampleSets sets = TrainBenchmark.ExampleSets.encode(model, world, tok, bm.config(), records,
                    baseline, tga);
            List<TrainingExample> be = sets.baseline(), te = sets.tga(), se = sets.lmOnlyOnTgaPrompts();
            int[] lengths = te.stream().mapToInt(TrainingExample::length).toArray();
            List<int[]> plan = LengthBatcher.plan(lengths, batchSize, 1, 0);
            LayerBand band = LayerBand.middleThird(bm.config().textConfig().numHiddenLayers());
            ClipImageProcessor images = ClipImageProcessor.fromModelDir(model);
            System.out.println("band " + band + ", grad mode outside a collector: " + gradMode()
                    + ", decoder weight requires grad: "
                    + bm.model().parameters().all().values().stream().filter(NDArray::hasGradient).count()
                    + " of " + bm.model().parameters().all().size() + " tensors have gradients");
            Batch first = Batch.of(TrainBenchmark.rows(te, plan.get(1 % plan.size())), tok.padId());
            System.out.printf("TGA batch: %d rows x %d tokens; caption pass: %d rows x %d tokens (to layer %d of %d)%n",
                    first.rows(), first.length(), first.alignedRows().length, first.captionIds()[0].length, band.last(),
                    bm.config().textConfig().numHiddenLayers());
            Profiled b = new Profiled("baseline", bm, new TgaLoss(band, 0.25, 0.10, false), images, tok.padId());
            // -Dprof.tgaModel=baseline: the TGA runner shares the baseline's model copy
            Profiled t = new Profiled("tga", "baseline".equals(System.getProperty("prof.tgaModel")) ? bm : tm, new TgaLoss(band, 0.25, 0.10, Boolean.getBoolean("prof.detach")), images,
                    tok.padId());
            // -Dprof.lmOnlyModel=tga: the LM-only runner shares the TGA runner's model copy instead of the baseline's
            Profiled s = new Profiled("lm-only/tga-prompts",
                    "tga".equals(System.getProperty("prof.lmOnlyModel")) ? tm : bm, new TgaLoss(band, 0.25, 0.10, false), images,
                    tok.padId());
            try (b; t; s) {
                b.step(TrainBenchmark.rows(be, plan.get(0)), false);
                t.step(TrainBenchmark.rows(te, plan.get(0)), false);
                s.step(TrainBenchmark.rows(se, plan.get(0)), false);
                for (int k = 1; k <= steps; k++) {
                    int[] batch = plan.get(k % plan.size());
                    List<Runnable> order = new ArrayList<>(List.of(() -> b.step(TrainBenchmark.rows(be, batch), true),
                            () -> t.step(TrainBenchmark.rows(te, batch), true), () -> s.step(TrainBenchmark.rows(se, batch), true)));
                    java.util.Collections.rotate(order, k);
                    order.forEach(Runnable::run);
                }
                System.out.printf("%s, %d steps, batch %d; ms per step, wall (process CPU)%n", size.name(), steps,
                        batchSize);
                StringBuilder head = new StringBuilder(String.format("%-20s", "phase"));
                for (Profiled p : List.of(b, t, s)) head.append(String.format("%24s", p.name));
                System.out.println(head);
                for (int i = 0; i <= PHASES.length; i++) {
                    StringBuilder row = new StringBuilder(String.format("%-20s", i < PHASES.length ? PHASES[i] : "TOTAL"));
                    for (Profiled p : List.of(b, t, s)) {
                        long w = i < PHASES.length ? p.wall[i] : sum(p.wall), c = i < PHASES.length ? p.cpu[i] : sum(p.cpu);
                        row.append(String.format("%24s", String.format("%.2f (%.2f)", w / 1e6 / steps, c / 1e6 / steps)));
                    }
                    System.out.println(row);
                }
                System.out.println("minor page faults per step");
                for (int i = 0; i < PHASES.length; i++) {
                    StringBuilder row = new StringBuilder(String.format("%-20s", PHASES[i]));
                    for (Profiled p : List.of(b, t, s)) row.append(String.format("%24d", p.faults[i] / steps));
                    System.out.println(row);
                }
                System.out.printf("ratio tga/baseline %.3f wall %.3f cpu; tga/lm-only same prompts %.3f wall %.3f cpu%n",
                        sum(t.wall) / (double) sum(b.wall), sum(t.cpu) / (double) sum(b.cpu),
                        sum(t.wall) / (double) sum(s.wall), sum(t.cpu) / (double) sum(s.cpu));
            }
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) s += x;
        return s;
    }

    /** Minor page faults of the process so far (/proc/self/stat field 10), or 0. */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String gradMode() {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            return String.valueOf(jni.getMethod("isGradMode").invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /** {@link TrainStep#run} plus the optimiser, phase by phase. */
    private static final class Profiled implements AutoCloseable {
        final String name;
        final TrainingModel model;
        final TrainStep step;
        final TgaLoss loss;
        final ClipImageProcessor images;
        final AdamW optimizer;
        final int padId;
        final long[] wall = new long[PHASES.length], cpu = new long[PHASES.length], faults = new long[PHASES.length];
        long w0, c0, f0;
        boolean timed;
        int phase, traced;

        Profiled(String name, TrainingModel model, TgaLoss loss, ClipImageProcessor images, int padId) {
            this.name = name;
            this.model = model;
            this.loss = loss;
            this.images = images;
            this.step = new TrainStep(model, loss, images);
            this.padId = padId;
            this.optimizer = new AdamW(model.trainable(), model.trainable().keySet(), 0.9, 0.999, 1e-8, 0, model.weights());
        }

        private void start() {
            phase = 0;
            w0 = System.nanoTime();
            c0 = TrainBenchmark.cpuTime();
            f0 = minorFaults();
        }

        /** Ends the current phase (after reading one value of {@code sync} back, when given). */
        private void lap(NDArray sync) {
            if (sync != null) sync.get(0).toType(DataType.FLOAT32, false).toFloatArray();
            long w = System.nanoTime(), c = TrainBenchmark.cpuTime(), f = minorFaults();
            if (timed) {
                wall[phase] += w - w0;
                cpu[phase] += c - c0;
                faults[phase] += f - f0;
            }
            phase++;
            w0 = w;
            c0 = c;
            f0 = f;
        }

        void step(List<TrainingExample> rows, boolean timed) {
            this.timed = timed;
            start();
            Batch batch = Batch.of(rows, padId);
            lap(null);
            LlavaModel lm = model.model();
            DataType dtype = model.projector().values().iterator().next().getDataType();
            try (NDManager m = model.weights().newSubManager()) {
                NDArray features = step.visionFeatures(m, batch, dtype);
                lap(features.flatten());
                // -Dprof.noCaption=true: zeros instead of the caption pass (isolates the pass's effect on later phases)
                List<NDArray> captionMeans = batch.alignedRows().length > 0 && Boolean.getBoolean("prof.noCaption")
                        ? zeros(m, loss.band().size(), batch.alignedRows().length, lm.textConfig().hiddenSize())
                        : step.captionMeans(m, batch);
                lap(captionMeans.isEmpty() ? null : captionMeans.get(captionMeans.size() - 1).flatten());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray imageEmbeds = lm.projector().forward(features);
                    DecoderOutput out = lm.forward(m, batch.ids(), batch.valid(), imageEmbeds, null,
                            DecoderOutput.Logits.NONE, true);
                    lap(out.hiddenStates().get(out.hiddenStates().size() - 1).flatten());
                    TgaLoss.Terms t = loss.compute(m, lm.decoder(), out.hiddenStates(), batch, captionMeans, 0.5);
                    lap(t.total().reshape(1));
                    // -Dprof.trace=DIR: libtorch profiler traces of the backward of 3 timed steps per runner
                    String trace = System.getProperty("prof.trace");
                    boolean tracing = trace != null && timed && traced < 3;
                    if (tracing) ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                    gc.backward(t.total().mul(Ops.constant(t.total(), 1.0)));
                    if (tracing) {
                        ai.djl.pytorch.jni.JniUtils.stopProfile(trace + "/" + name.replace('/', '_') + "-" + traced++ + ".json");
                    }
                    lap(null); // CPU ops are eager: backward has finished when it returns
                    float v = t.total().toType(DataType.FLOAT32, false).getFloat()
                            + t.lm().toType(DataType.FLOAT32, false).getFloat()
                            + t.pair().toType(DataType.FLOAT32, false).getFloat()
                            + t.hinge().toType(DataType.FLOAT32, false).getFloat();
                    if (!Float.isFinite(v)) throw new IllegalStateException("loss not finite");
                    lap(null);
                }
            }
            optimizer.clipGradients(1.0);
            optimizer.step(1e-4);
            lap(null);
        }

        private static List<NDArray> zeros(NDManager m, int layers, int rows, long hidden) {
            List<NDArray> out = new ArrayList<>();
            for (int i = 0; i < layers; i++) out.add(m.ones(new ai.djl.ndarray.types.Shape(rows, hidden)));
            return out;
        }

        @Override
        public void close() {
            optimizer.close();
        }
    }
}
