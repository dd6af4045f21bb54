package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * Projector training, stage 1 or 2, LLaVA baseline or TGA: reads and encodes the records, then runs optimiser steps
 * (gradient accumulation over length-bucketed micro-batches, global-norm clipping, AdamW, cosine schedule with
 * warm-up), logs {@code metrics.jsonl}, checkpoints every {@code saveEvery} steps and at the end, and draws
 * {@code loss_curve.png}. A resumed run ({@link #run(boolean)} with {@code true}) restores weights, optimiser moments,
 * the schedule position and the data position from the checkpoint and continues bit-for-bit as the uninterrupted run
 * would. A NaN or infinite loss stops the run with a {@link NonFiniteLossException}; the last checkpoint is kept.
 */
public final class Trainer {
    private final TrainConfig config;
    private final TrainListener listener;
    /** Test hook: may replace a micro-batch (e.g. poison it) before it runs; arguments are (step, batch). */
    BiFunction<Integer, Batch, Batch> batchHook = (s, b) -> b;

    public Trainer(TrainConfig config, TrainListener listener) {
        if (config.model() == null || config.data() == null || config.output() == null) {
            throw new IllegalArgumentException("training needs model, data and output");
        }
        this.config = config;
        this.listener = listener == null ? TrainListener.NONE : listener;
    }

    /** What a finished run produced. */
    public record Result(Path output, Path checkpoint, int steps, int examples, long skippedRecords,
            StepMetrics last, LayerBand band) {}

    /**
     * Trains.
     *
     * @param resume continue from {@code output/checkpoint} (which must exist and have been written with the same
     *     configuration)
     */
    public Result run(boolean resume) {
        Path output = Path.of(config.output());
        if (resume) {
            if (!Checkpoints.exists(output)) {
                throw new IllegalArgumentException("--resume: no checkpoint in " + output.resolve(Checkpoints.DIR));
            }
            TrainConfig saved = Checkpoints.readConfig(output);
            if (!saved.withOverrides(Map.of("saveEvery", config.saveEvery())).equals(config)) {
                throw new IllegalArgumentException("--resume: the configuration differs from the checkpoint's ("
                        + output.resolve(Checkpoints.DIR).resolve(Checkpoints.CONFIG) + ")");
            }
        } else if (Checkpoints.exists(output)) {
            throw new IllegalArgumentException(output + " already holds a checkpoint; use --resume to continue it or"
                    + " choose another output");
        }
        NativeHeap.retainFreedMemory(); // no page-fault churn from glibc trimming the heap between steps
        try (TrainingModel model = TrainingModel.load(Path.of(config.model()), config.trainLlm(),
                ai.djl.ndarray.types.DataType.FLOAT32, config.lora());
                TextTokenizer tokenizer = TextTokenizer.load(Path.of(config.model()))) {
            ChatTemplate template = ChatTemplates.byName(config.templateOr(
                    ChatTemplates.detect(Path.of(config.model()), model.config().textConfig().modelType()).name()));
            BadRecordReport report = config.failOnBadRecord() ? BadRecordReport.failing() : BadRecordReport.skipping();
            List<TrainingExample> examples = readExamples(model, tokenizer, template, report);
            if (examples.isEmpty()) {
                throw new IllegalArgumentException(config.data() + ": no usable records (" + report.summary() + ")");
            }
            int[] lengths = examples.stream().mapToInt(TrainingExample::length).toArray();
            int batchesPerEpoch = (examples.size() + config.batchSize() - 1) / config.batchSize();
            int stepsPerEpoch = Math.max(1, batchesPerEpoch / config.gradientAccumulation());
            int total = config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch;
            LayerBand band = config.band(model.config().textConfig().numHiddenLayers());
            TgaLoss loss = new TgaLoss(band, config.pairWeight(), config.hingeWeight(), config.detachAlignment());
            ClipImageProcessor images = imageProcessor(model);
            TrainStep trainStep = new TrainStep(model, loss, images);
            CosineSchedule schedule = CosineSchedule.of(config.learningRate(), config.minLearningRate(),
                    config.warmupRatio(), total);
            try (AdamW optimizer = new AdamW(model.trainable(), decayed(model.trainable().keySet()), config.beta1(),
                    config.beta2(), config.adamEpsilon(), config.weightDecay(), model.weights())) {
                int start = 0;
                if (resume) {
                    TrainerState state = Checkpoints.readState(output);
                    Checkpoints.restore(output, model, optimizer, state);
                    start = state.step();
                }
                Files.createDirectories(output);
                Files.writeString(output.resolve(Checkpoints.CONFIG), config.toJson());
                listener.started(start, total, examples.size(), report.count());
                StepMetrics last = null;
                // Stage 2 saves the whole model, unless it trains LoRA adapters: then the adapter (PEFT layout).
                boolean full = (config.stage() == 2 && config.lora() == null) || config.saveFullModel();
                List<int[]> plan = null;
                int planEpoch = -1;
                try (MetricsLog log = MetricsLog.open(output, start)) {
                    for (int step = start; step < total; step++) {
                        double lr = schedule.at(step);
                        double progress = step / (double) total;
                        long t0 = System.nanoTime();
                        List<TrainStep.StepValues> values = new ArrayList<>();
                        int epoch = 0;
                        for (int k = 0; k < config.gradientAccumulation(); k++) {
                            long micro = (long) step * config.gradientAccumulation() + k;
                            epoch = (int) (micro / batchesPerEpoch);
                            if (epoch != planEpoch) {
                                plan = LengthBatcher.plan(lengths, config.batchSize(), config.seed(), epoch);
                                planEpoch = epoch;
                            }
                            List<TrainingExample> rows = new ArrayList<>();
                            for (int i : plan.get((int) (micro % batchesPerEpoch))) rows.add(examples.get(i));
                            Batch batch = batchHook.apply(step, Batch.of(rows, tokenizer.padId()));
                            if (model.lora() != null) model.lora().startMicroBatch(micro);
                            try (NDManager m = model.weights().newSubManager()) {
                                TrainStep.StepValues v = trainStep.run(m, batch, progress,
                                        1.0 / config.gradientAccumulation());
                                if (!v.finite()) {
                                    throw nonFinite(output, step, "loss", v.total(), rows);
                                }
                                values.add(v);
                            }
                        }
                        double norm = optimizer.clipGradients(config.maxGradNorm());
                        if (!Double.isFinite(norm)) throw nonFinite(output, step, "gradient norm", norm, List.of());
                        optimizer.step(lr);
                        double millis = (System.nanoTime() - t0) / 1e6;
                        last = metrics(step + 1, epoch, lr, norm, millis, values, band);
                        log.append(last);
                        listener.step(last);
                        boolean end = step + 1 == total;
                        if (end || (config.saveEvery() > 0 && (step + 1) % config.saveEvery() == 0)) {
                            TrainerState state = new TrainerState(step + 1, total,
                                    (long) (step + 1) * config.gradientAccumulation(),
                                    (int) ((long) (step + 1) * config.gradientAccumulation() / batchesPerEpoch),
                                    config.seed(), last.loss(), lr);
                            Path dir = Checkpoints.save(output, model, optimizer, state, config, full);
                            listener.checkpoint(step + 1, dir);
                        }
                    }
                }
                Path metricsFile = output.resolve(MetricsLog.FILE);
                LossCurvePlot.write(MetricsLog.read(metricsFile), output.resolve(LossCurvePlot.FILE),
                        "stage " + config.stage() + " " + config.method()
                                + (config.isTga() ? " (" + config.tgaParity() + ")" : ""));
                return new Result(output, output.resolve(Checkpoints.DIR), total, examples.size(), report.count(), last,
                        band);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private NonFiniteLossException nonFinite(Path output, int step, String what, double value, List<TrainingExample> rows) {
        String kept = Checkpoints.exists(output)
                ? "the last good checkpoint (step " + Checkpoints.readState(output).step() + ") is kept in "
                        + output.resolve(Checkpoints.DIR)
                : "no checkpoint had been written yet";
        String ids = rows.isEmpty() ? "" : " on records " + rows.stream().map(TrainingExample::id).limit(8).toList();
        return new NonFiniteLossException("the " + what + " became " + value + " at step " + (step + 1) + ids
                + "; training stopped, " + kept, step + 1);
    }

    private List<TrainingExample> readExamples(TrainingModel model, TextTokenizer tokenizer, ChatTemplate template,
            BadRecordReport report) throws IOException {
        Path data = Path.of(config.data());
        ImageRoot root = new ImageRoot(config.imageRoot() != null ? Path.of(config.imageRoot())
                : data.toAbsolutePath().getParent());
        ExampleEncoder encoder = new ExampleEncoder(template, tokenizer, model.config(), root, config);
        List<TrainingExample> out = new ArrayList<>();
        long index = 0;
        try (LlavaJsonReader reader = new LlavaJsonReader(data, report, root)) {
            while (reader.hasNext()) {
                LlavaRecord r = reader.next();
                if (config.limit() > 0 && out.size() >= config.limit()) break;
                index++;
                try {
                    TrainingExample e = encoder.encode(r);
                    if (config.maxLength() > 0 && e.length() > config.maxLength()) {
                        report.report(data, index - 1, -1, "record " + r.id() + ": " + e.length()
                                + " tokens, more than maxLength " + config.maxLength());
                        continue;
                    }
                    out.add(e);
                } catch (IllegalArgumentException e) {
                    report.report(data, index - 1, -1, e.getMessage());
                }
            }
        }
        return out;
    }

    private static ClipImageProcessor imageProcessor(TrainingModel model) {
        Path file = model.directory().resolve("preprocessor_config.json");
        ImageProcessorConfig pc = Files.exists(file) ? ImageProcessorConfig.load(file)
                : ImageProcessorConfig.clip(model.config().visionConfig().imageSize());
        return new ClipImageProcessor(pc.withPadToSquare("pad".equals(model.config().imageAspectRatio())));
    }

    /** The trainable tensors that receive weight decay: all, or all but biases and norm weights. */
    private Set<String> decayed(Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            boolean biasOrNorm = n.endsWith(".bias") || n.contains("norm");
            if (config.decayBiasesAndNorms() || !biasOrNorm) out.add(n);
        }
        return out;
    }

    static StepMetrics metrics(int step, int epoch, double lr, double norm, double millis,
            List<TrainStep.StepValues> values, LayerBand band) {
        double total = 0, ce = 0, pair = 0, hinge = 0;
        long tokens = 0;
        int samples = 0;
        for (TrainStep.StepValues v : values) {
            total += v.total();
            ce += v.lm();
            pair += v.pair();
            hinge += v.hinge();
            tokens += v.tokens();
            samples += v.samples();
        }
        int n = values.size();
        Map<String, Double> sIc = new LinkedHashMap<>(), sRc = new LinkedHashMap<>();
        for (int l = band.first(); l <= band.last(); l++) {
            int j = l - band.first();
            double ic = 0, rc = 0;
            int nic = 0, nrc = 0;
            for (TrainStep.StepValues v : values) {
                if (!Float.isNaN(v.sIc()[j])) {
                    ic += v.sIc()[j];
                    nic++;
                }
                if (!Float.isNaN(v.sRc()[j])) {
                    rc += v.sRc()[j];
                    nrc++;
                }
            }
            if (nic > 0) sIc.put(Integer.toString(l), ic / nic);
            if (nrc > 0) sRc.put(Integer.toString(l), rc / nrc);
        }
        double seconds = millis / 1000;
        TrainStep.StepValues first = values.get(0);
        return new StepMetrics(step, epoch, lr, total / n, ce / n, pair / n, hinge / n, first.pairScale(),
                first.hingeScale(), norm,
                sIc, sRc, samples, tokens, samples / seconds, tokens / seconds, millis);
    }
}
