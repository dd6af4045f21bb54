package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.projector.AdamW;
import org.tga4j.projector.Autograd;
import org.tga4j.projector.Batch;
import org.tga4j.projector.CosineSchedule;
import org.tga4j.projector.LengthBatcher;
import org.tga4j.projector.NativeHeap;
import org.tga4j.projector.NonFiniteLossException;
import org.tga4j.projector.TgaLoss;
import org.tga4j.projector.TrainingExample;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * Pretrains (or further trains) a text-only causal LM with the project's own runtime and DJL autograd: every tensor
 * trainable, causal-LM cross-entropy on the answer spans of chat-template conversations and on every token of plain
 * documents, length-bucketed batches ({@link LengthBatcher}), AdamW, linear warm-up then cosine decay, global-norm
 * clipping, one NDManager sub-manager per step.
 *
 * <p>The output is an HF llama-layout checkpoint ({@code config.json}, {@code model.safetensors}, the tokenizer files,
 * {@code generation_config.json}) that {@code Lvlm.load} loads, plus {@value TextPretrainConfig#FILE},
 * {@code metrics.jsonl} and {@code loss_curve.png}. Everything is written into a sibling temp directory that replaces
 * the output only when the run has finished; a failed run (bad data, NaN loss, a crash) leaves an existing output
 * untouched. The chat template trained with is recorded in the output's {@code tokenizer_config.json}
 * ({@code tga4j_template}) so the model is later prompted the way it was trained.
 */
public final class TextPretrainer {
    /** Test hook: runs before each optimiser step with (0-based step, model). */
    BiConsumer<Integer, CausalLm> beforeStep = (s, m) -> {};
    /** Test hook: runs after each step's (first) backward with (0-based step, model). */
    BiConsumer<Integer, CausalLm> afterBackward = (s, m) -> {};

    /** Progress callbacks (the CLI draws its progress bar from these). */
    public interface Listener {
        /** Once the data is read, before the first step. */
        default void started(int totalSteps, int examples, long skippedRecords) {}

        /** After each optimiser step ({@code step} is 1-based). */
        default void step(int step, int totalSteps, double loss) {}

        /** Training is done; the checkpoint is being written to {@code output}. */
        default void saving(Path output) {}

        Listener NONE = new Listener() {};
    }

    /**
     * What a finished run produced.
     *
     * @param output the checkpoint directory
     * @param steps optimiser steps taken
     * @param firstLoss the first step's loss
     * @param finalLoss the mean loss of the last {@code max(1, min(10, steps / 10))} steps
     * @param examples sequences trained on (conversations + documents)
     * @param skipped bad records skipped
     * @param imageRowsIgnored conversation rows with an image, left out
     * @param parameters scalars in the model
     * @param seconds wall time of the training steps
     * @param retriedSteps steps whose gradients came out non-finite with a finite loss and that were run once more
     *     (normally empty)
     */
    public record Result(Path output, int steps, double firstLoss, double finalLoss, int examples, long skipped,
            long imageRowsIgnored, long parameters, double seconds, List<String> retriedSteps) {}

    /**
     * Trains and writes the checkpoint.
     *
     * @param listener progress callbacks; null = none
     * @throws IllegalArgumentException for a bad configuration, a model that is not a text-only causal LM, no usable
     *     record, or an output that exists while {@code replace} is off
     * @throws NonFiniteLossException when the loss or gradient norm becomes NaN or infinite
     * @throws org.tga4j.datasets.DatasetFormatException on a bad record with {@code failOnBadRecord}
     */
    public Result run(TextPretrainConfig cfg, Listener listener) {
        Listener l = listener == null ? Listener.NONE : listener;
        if (cfg.model() == null || cfg.output() == null) throw new IllegalArgumentException("pretraining needs model and output");
        if (cfg.conversations().isEmpty() && cfg.documents().isEmpty()) {
            throw new IllegalArgumentException("pretraining needs at least one conversations or documents file");
        }
        Path modelDir = Path.of(cfg.model());
        Path output = Path.of(cfg.output()).toAbsolutePath();
        checkOutput(output, cfg.replace());
        NativeHeap.retainFreedMemory(); // no page-fault churn from glibc trimming the heap between steps
        try {
            return ModelWriter.buildDirectory(output, tmp -> {
                readableByAll(tmp);
                return train(cfg, modelDir, tmp, output, l);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("pretraining into " + output + ": " + e.getMessage(), e);
        }
    }

    private Result train(TextPretrainConfig cfg, Path modelDir, Path tmp, Path output, Listener l) throws IOException {
        try (CausalLm lm = CausalLm.load(modelDir); TextTokenizer tok = TextTokenizer.load(modelDir)) {
            ChatTemplate template = ChatTemplates.byName(cfg.template());
            BadRecordReport report = cfg.failOnBadRecord() ? BadRecordReport.failing() : BadRecordReport.skipping();
            PretrainData.Loaded data = new PretrainData(template, tok, cfg.systemPrompt(), cfg.maxLength())
                    .read(paths(cfg.conversations()), paths(cfg.documents()), report);
            List<TrainingExample> examples = data.examples();
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("no usable records in " + cfg.conversations() + " " + cfg.documents()
                        + " (" + report.summary() + (data.imageRows() > 0 ? ", " + data.imageRows()
                        + " rows with images ignored" : "") + ")");
            }
            int[] lengths = examples.stream().mapToInt(TrainingExample::length).toArray();
            int batchesPerEpoch = (examples.size() + cfg.batchSize() - 1) / cfg.batchSize();
            int total = cfg.maxSteps() > 0 ? cfg.maxSteps() : cfg.epochs() * batchesPerEpoch;
            CosineSchedule schedule = CosineSchedule.of(cfg.learningRate(), cfg.minLearningRate(), cfg.warmupRatio(),
                    total);
            Files.writeString(tmp.resolve(TextPretrainConfig.FILE), cfg.toJson());
            l.started(total, examples.size(), report.count());
            List<PretrainMetrics> metrics;
            List<String> retried = new ArrayList<>();
            long t0 = System.nanoTime();
            try (AdamW optimizer = new AdamW(lm.parameters(), decayed(lm.parameters().keySet()), cfg.beta1(),
                    cfg.beta2(), cfg.adamEpsilon(), cfg.weightDecay(), lm.weights());
                    PretrainLog log = PretrainLog.create(tmp)) {
                List<int[]> plan = null;
                int planEpoch = -1;
                for (int step = 0; step < total; step++) {
                    int epoch = step / batchesPerEpoch;
                    if (epoch != planEpoch) {
                        plan = LengthBatcher.plan(lengths, cfg.batchSize(), cfg.seed(), epoch);
                        planEpoch = epoch;
                    }
                    List<TrainingExample> rows = new ArrayList<>();
                    for (int i : plan.get(step % batchesPerEpoch)) rows.add(examples.get(i));
                    beforeStep.accept(step, lm);
                    long s0 = System.nanoTime();
                    Batch batch = Batch.of(rows, tok.padId());
                    double loss = forwardBackward(lm, batch);
                    afterBackward.accept(step, lm);
                    if (!Double.isFinite(loss)) throw nonFinite(step, "loss", loss, rows, output);
                    double norm = optimizer.clipGradients(cfg.maxGradNorm());
                    if (!Double.isFinite(norm)) {
                        // Seen rarely and not reproducibly (the same seed and data, single-threaded, trained clean on
                        // a rerun): a finite loss with NaN gradients. The batch is run once more on zeroed gradients;
                        // a second failure stops the run.
                        List<String> bad = nonFiniteGradients(lm);
                        overwriteGradientsWithZeros(lm);
                        loss = forwardBackward(lm, batch);
                        norm = optimizer.clipGradients(cfg.maxGradNorm());
                        if (!Double.isFinite(loss)) throw nonFinite(step, "loss", loss, rows, output);
                        if (!Double.isFinite(norm)) {
                            throw nonFinite(step, "gradient norm (non-finite in " + nonFiniteGradients(lm)
                                    + ", also on a retry)", norm, rows, output);
                        }
                        retried.add("step " + (step + 1) + " (non-finite gradients in " + bad + ")");
                    }
                    double lr = schedule.at(step);
                    optimizer.step(lr);
                    double millis = (System.nanoTime() - s0) / 1e6;
                    log.append(new PretrainMetrics(step + 1, epoch, lr, loss, norm, batch.rows(), batch.tokens(),
                            batch.lmTargets().length, batch.tokens() / (millis / 1000), millis));
                    l.step(step + 1, total, loss);
                }
                metrics = log.metrics();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            PretrainLog.plot(metrics, tmp.resolve(PretrainLog.PLOT), "text pretraining: "
                    + modelDir.getFileName() + ", " + examples.size() + " sequences");
            l.saving(output);
            writeCheckpoint(lm, modelDir, tmp, cfg, total);
            int tail = Math.max(1, Math.min(10, total / 10));
            double finalLoss = metrics.subList(metrics.size() - tail, metrics.size()).stream()
                    .mapToDouble(PretrainMetrics::loss).average().orElseThrow();
            return new Result(output, total, metrics.get(0).loss(), finalLoss, examples.size(), report.count(),
                    data.imageRows(), lm.parameterCount(), seconds, List.copyOf(retried));
        }
    }

    /** Forward and backward of one batch in its own manager; returns the mean cross-entropy. */
    private static double forwardBackward(CausalLm lm, Batch batch) {
        try (NDManager m = lm.weights().newSubManager();
                Autograd gc = Autograd.record()) {
            DecoderOutput out = lm.model().forward(m, batch.ids(), batch.valid(), null, null,
                    DecoderOutput.Logits.NONE, true);
            List<NDArray> hidden = out.hiddenStates();
            NDArray loss = TgaLoss.languageModelLoss(m, lm.model().decoder(), hidden.get(hidden.size() - 1), batch);
            gc.backward(loss);
            return loss.toType(DataType.FLOAT32, false).getFloat();
        }
    }

    /**
     * Zeroes every gradient in place by a native copy of zeros (AdamW's {@code g - g} keeps a NaN; {@code set(float[])}
     * would rebind the gradient to a Java buffer that is freed with its handle).
     */
    private static void overwriteGradientsWithZeros(CausalLm lm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray p : lm.parameters().values()) p.getGradient().set(new NDIndex(":"), 0f);
        }
    }

    /** The first few tensors whose gradient holds a NaN or infinity. */
    private static List<String> nonFiniteGradients(CausalLm lm) {
        List<String> out = new ArrayList<>();
        try (NDManager m = lm.weights().newSubManager()) {
            for (Map.Entry<String, NDArray> e : lm.parameters().entrySet()) {
                NDArray g = e.getValue().getGradient();
                boolean bad = g.isInfinite().any().getBoolean() || g.isNaN().any().getBoolean();
                g.close();
                if (bad) out.add(e.getKey());
                if (out.size() == 5) break;
            }
        }
        return out;
    }

    /** A temp directory is created owner-only; the finished checkpoint should be as readable as any other folder. */
    private static void readableByAll(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    private static void checkOutput(Path output, boolean replace) {
        if (replace || !Files.exists(output)) return;
        try (Stream<Path> s = Files.list(output)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException(output + " exists and is not empty; allow replacing it (replace)"
                        + " or choose another output");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + output + ": " + e.getMessage(), e);
        }
    }

    /** The model in the HF layout of its source, plus the tokenizer and generation files, into {@code dir}. */
    private static void writeCheckpoint(CausalLm lm, Path source, Path dir, TextPretrainConfig cfg, int steps)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("tga4j_pretrain_steps", Integer.toString(steps));
        SafeTensorsWriter.writeSharded(dir, lm.parameters(), meta, ModelWriter.DEFAULT_MAX_SHARD_BYTES);
        ModelConfig.save(lm.config(), dir);
        for (String f : ModelWriter.SIDE_FILES) {
            Path src = source.resolve(f);
            if (Files.exists(src)) Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        TextConfig c = lm.config();
        if (!Files.exists(dir.resolve("generation_config.json"))) {
            Files.writeString(dir.resolve("generation_config.json"), "{\n  \"bos_token_id\": " + c.bosTokenId()
                    + ",\n  \"eos_token_id\": " + c.eosTokenId() + "\n}\n");
        }
        Path tokConfig = dir.resolve("tokenizer_config.json");
        if (Files.exists(tokConfig)) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode node = (ObjectNode) json.readTree(tokConfig.toFile());
            node.put("tga4j_template", ChatTemplates.byName(cfg.template()).name());
            Files.writeString(tokConfig, json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        }
    }

    private NonFiniteLossException nonFinite(int step, String what, double value, List<TrainingExample> rows,
            Path output) {
        return new NonFiniteLossException("text pretraining: the " + what + " became " + value + " at step "
                + (step + 1) + " on records " + rows.stream().map(TrainingExample::id).limit(8).toList()
                + "; training stopped, " + output + " was not written (lower learningRate or check the data)", step);
    }

    /** Every tensor but norm weights and biases gets weight decay. */
    private static Set<String> decayed(Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) if (!n.endsWith(".bias") && !n.contains("norm")) out.add(n);
        return out;
    }

    private static List<Path> paths(List<String> files) {
        return files.stream().map(Path::of).toList();
    }
}
