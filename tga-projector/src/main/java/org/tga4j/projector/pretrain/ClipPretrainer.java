package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.projector.AdamW;
import org.tga4j.projector.Autograd;
import org.tga4j.projector.CosineSchedule;
import org.tga4j.projector.NativeHeap;
import org.tga4j.projector.NonFiniteLossException;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.model.ClipModel;
import org.tga4j.runtime.model.ClipTextTower;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * CLIP contrastive pretraining, as CLIP was trained: image–caption pairs in shuffled batches, the symmetric InfoNCE
 * loss over each batch's similarity matrix ({@link ClipLoss}), every weight trainable (both towers, both projections
 * and the log temperature, clamped to ln 100 after each step), AdamW with a warm-up + cosine schedule and
 * global-norm clipping.
 *
 * <p>A step whose gradient norm is not finite is skipped (no update, gradients zeroed) and counted, up to
 * {@link ClipPretrainConfig#maxSkippedSteps()}; a non-finite loss stops the run with a
 * {@link NonFiniteLossException} and writes nothing.
 *
 * <p>Images are decoded and preprocessed once ({@link ClipPairs}); each step computes in its own sub-manager. The
 * held-out image→text retrieval accuracy is measured before training, after every epoch and at the end. The output
 * directory — the trained CLIP in HF layout ({@code config.json}, {@code model.safetensors},
 * {@code preprocessor_config.json}, tokenizer files) with {@code pretrain_config.json}, {@code metrics.jsonl} and
 * {@code loss_curve.png} — is assembled in a sibling temp directory and moved into place only when complete.
 */
public final class ClipPretrainer {
    public static final String METRICS_FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClipPretrainConfig config;
    private final ClipPretrainListener listener;

    public ClipPretrainer(ClipPretrainConfig config, ClipPretrainListener listener) {
        if (config.model() == null || config.data() == null || config.output() == null) {
            throw new IllegalArgumentException("CLIP pretraining needs model, data and output");
        }
        this.config = config;
        this.listener = listener == null ? ClipPretrainListener.NONE : listener;
    }

    /**
     * What a finished run produced.
     *
     * @param output the trained CLIP's directory
     * @param steps steps run
     * @param skippedSteps steps whose gradient norm was not finite, skipped without an update
     * @param trainPairs pairs trained on
     * @param valPairs held-out pairs measured
     * @param skippedRecords bad records skipped (training and val files together)
     * @param firstLoss loss of the first step
     * @param lastLoss mean loss over the last epoch's steps (or the last step's when the run is shorter)
     * @param before held-out retrieval of the starting model
     * @param after held-out retrieval of the trained model
     * @param seconds wall time of the training loop (data loading excluded)
     * @param loadSeconds wall time of reading and preprocessing the data
     */
    public record Result(Path output, int steps, int skippedSteps, int trainPairs, int valPairs, long skippedRecords, double firstLoss,
            double lastLoss, ClipRetrieval before, ClipRetrieval after, double seconds, double loadSeconds) {}

    /**
     * Trains and writes the output directory.
     *
     * @param replace replace an existing output directory (only once the new one is complete); otherwise it must not
     *     exist or be empty
     */
    public Result run(boolean replace) {
        Path output = Path.of(config.output()).toAbsolutePath().normalize();
        Path modelDir = Path.of(config.model());
        try {
            ModelWriter.requireEmptyUnlessReplacing(output, replace);
            NativeHeap.retainFreedMemory(); // no page-fault churn from glibc trimming the heap between steps
            return ModelWriter.buildDirectory(output, tmp -> {
                try (ClipTrainingModel model = ClipTrainingModel.load(modelDir);
                        TextTokenizer tokenizer = TextTokenizer.load(modelDir)) {
                    return train(model, tokenizer, tmp, output);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("CLIP pretraining into " + output + ": " + e.getMessage(), e);
        }
    }

    private Result train(ClipTrainingModel model, TextTokenizer tokenizer, Path tmp, Path output) throws IOException {
        ClipConfig clip = model.config();
        int imageSize = clip.visionConfig().imageSize();
        ClipCaptionTokenizer captions = new ClipCaptionTokenizer(tokenizer, clip.textConfig().maxPositionEmbeddings());
        ClipImageProcessor images = imageProcessor(model.directory(), imageSize);
        BadRecordReport report = config.failOnBadRecord() ? BadRecordReport.failing() : BadRecordReport.skipping();

        long t0 = System.nanoTime();
        Path data = Path.of(config.data());
        ImageRoot root = new ImageRoot(config.imageRoot() != null ? Path.of(config.imageRoot())
                : data.toAbsolutePath().getParent());
        ClipPairs train = ClipPairs.read(data, root, report, config.limit(), images, captions, imageSize);
        ClipPairs val;
        if (config.valData() != null) {
            Path valData = Path.of(config.valData());
            ImageRoot valRoot = config.imageRoot() != null ? root : new ImageRoot(valData.toAbsolutePath().getParent());
            val = ClipPairs.read(valData, valRoot, report, 0, images, captions, imageSize);
        } else {
            int[] order = shuffled(train.size(), config.seed() ^ 0x5EEDL);
            int nVal = (int) Math.round(config.valFraction() * train.size());
            val = train.select(Arrays.copyOfRange(order, 0, nVal));
            train = train.select(Arrays.copyOfRange(order, nVal, order.length));
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        if (train.size() < 2) {
            throw new IllegalArgumentException(data + ": " + train.size() + " usable image-caption pairs; contrastive"
                    + " training needs at least 2 (" + report.summary() + ")");
        }
        int batch = Math.min(config.batchSize(), train.size());
        int stepsPerEpoch = train.size() / batch; // the last incomplete batch is dropped, as CLIP's loader does
        int total = config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch;
        CosineSchedule schedule = CosineSchedule.of(config.learningRate(), config.minLearningRate(),
                config.warmupRatio(), total);
        ClipModel clipModel = model.model();
        if (config.resetLogitScale()) model.setLogitScale(clip.logitScaleInitValue());
        Files.writeString(tmp.resolve(ClipPretrainConfig.FILE), config.toJson());
        listener.started(total, train.size(), val.size(), report.count());

        ClipRetrieval before = evaluate(model, val, captions);
        listener.evaluated(0, before);
        ClipRetrieval after = before;
        List<ClipStepMetrics> metrics = new ArrayList<>();
        double firstLoss = Double.NaN, epochLoss = 0;
        int epochSteps = 0;
        double lastEpochLoss = Double.NaN;
        int skippedSteps = 0;
        long trainStart = System.nanoTime();
        try (AdamW optimizer = new AdamW(model.parameters(), model.decayed(), config.beta1(), config.beta2(),
                config.adamEpsilon(), config.weightDecay(), model.weights());
                BufferedWriter log = Files.newBufferedWriter(tmp.resolve(METRICS_FILE), StandardCharsets.UTF_8)) {
            int[] order = null;
            int orderEpoch = -1;
            for (int step = 0; step < total; step++) {
                long s0 = System.nanoTime();
                int epoch = step / stepsPerEpoch;
                if (epoch != orderEpoch) {
                    order = shuffled(train.size(), config.seed() * 1_000_003L + epoch);
                    orderEpoch = epoch;
                }
                int from = (step % stepsPerEpoch) * batch;
                int[] rows = Arrays.copyOfRange(order, from, from + batch);
                double lr = schedule.at(step);
                float loss;
                double accuracy;
                try (NDManager m = model.weights().newSubManager()) {
                    NDArray pixels = train.pixels(m, rows);
                    ClipTextTower.TextBatch texts = train.texts(m, rows, captions);
                    try (Autograd gc = Autograd.record()) {
                        NDArray logits = clipModel.logitsPerImage(clipModel.embedImages(pixels),
                                clipModel.embedTexts(texts));
                        NDArray l = ClipLoss.symmetric(logits);
                        gc.backward(l);
                        loss = l.getFloat();
                        accuracy = inBatchAccuracy(logits);
                    }
                }
                if (!Float.isFinite(loss)) throw nonFinite(step, "loss", loss, train, rows);
                double norm = optimizer.clipGradients(config.maxGradNorm());
                boolean skip = !Double.isFinite(norm);
                if (skip) {
                    if (++skippedSteps > config.maxSkippedSteps()) {
                        throw nonFinite(step, "gradient norm", norm, train, rows);
                    }
                    model.zeroGradients();
                } else {
                    optimizer.step(lr);
                    model.clampLogitScale();
                }
                if (step == 0) firstLoss = loss;
                epochLoss += loss;
                epochSteps++;
                boolean epochEnd = (step + 1) % stepsPerEpoch == 0 || step + 1 == total;
                Double valTop1 = null;
                if (epochEnd) {
                    lastEpochLoss = epochLoss / epochSteps;
                    epochLoss = 0;
                    epochSteps = 0;
                    after = evaluate(model, val, captions);
                    valTop1 = val.size() == 0 ? null : after.top1();
                }
                double millis = (System.nanoTime() - s0) / 1e6;
                ClipStepMetrics sm = new ClipStepMetrics(step + 1, epoch, lr, loss, accuracy,
                        Math.exp(model.logitScaleValue()), norm, batch, batch / (millis / 1000), millis, valTop1, skip);
                metrics.add(sm);
                log.write(JSON.writeValueAsString(sm));
                log.newLine();
                log.flush();
                listener.step(step + 1, total, loss);
                if (valTop1 != null) listener.evaluated(step + 1, after);
            }
        }
        double seconds = (System.nanoTime() - trainStart) / 1e9;
        save(model, tmp);
        ClipLossPlot.write(metrics, tmp.resolve(ClipLossPlot.FILE), "CLIP contrastive pretraining ("
                + train.size() + " pairs, batch " + batch + ")");
        return new Result(output, total, skippedSteps, train.size(), val.size(), report.count(), firstLoss,
                lastEpochLoss, before, after, seconds, loadSeconds);
    }

    private ClipRetrieval evaluate(ClipTrainingModel model, ClipPairs val, ClipCaptionTokenizer captions) {
        return ClipRetrievalEval.evaluate(model.model(), val, captions, config.evalGroupSize(), model.weights());
    }

    /** The model files: every trained tensor, plus any tensor of the source the model never loaded (buffers). */
    private static void save(ClipTrainingModel model, Path dir) throws IOException {
        try (NDManager m = model.weights().newSubManager(); Checkpoint source = Checkpoint.open(model.directory())) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(model.parameters());
            for (String name : source.names()) {
                if (!tensors.containsKey(name)) tensors.put(name, source.load(name, m));
            }
            SafeTensorsWriter.writeSharded(dir, tensors, Map.of("format", "pt", "tga4j_trained", "clip-contrastive"),
                    ModelWriter.DEFAULT_MAX_SHARD_BYTES);
        }
        ModelConfig.save(model.config(), dir);
        for (String f : ModelWriter.SIDE_FILES) {
            Path src = model.directory().resolve(f);
            if (Files.exists(src)) Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(dir.resolve("preprocessor_config.json"))) {
            ImageProcessorConfig.clip(model.config().visionConfig().imageSize())
                    .save(dir.resolve("preprocessor_config.json"));
        }
    }

    private static ClipImageProcessor imageProcessor(Path modelDir, int imageSize) {
        Path file = modelDir.resolve("preprocessor_config.json");
        return new ClipImageProcessor(Files.exists(file) ? ImageProcessorConfig.load(file)
                : ImageProcessorConfig.clip(imageSize));
    }

    /** Share of rows whose largest logit is on the diagonal. */
    private static double inBatchAccuracy(NDArray logits) {
        long[] best = logits.argMax(1).toLongArray();
        int hits = 0;
        for (int i = 0; i < best.length; i++) if (best[i] == i) hits++;
        return hits / (double) best.length;
    }

    /** A seeded permutation of {@code 0..n-1} (Fisher–Yates). */
    static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static NonFiniteLossException nonFinite(int step, String what, double value, ClipPairs train, int[] rows) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Math.min(8, rows.length); i++) ids.add(train.ids().get(rows[i]));
        return new NonFiniteLossException("CLIP pretraining: the " + what + " became " + value + " at step "
                + (step + 1) + " on records " + ids + "; training stopped, nothing was written (a lower learningRate or"
                + " a longer warm-up usually helps)", step + 1);
    }

}
