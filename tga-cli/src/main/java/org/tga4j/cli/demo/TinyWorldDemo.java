package org.tga4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.eval.bench.Decoding;
import org.tga4j.eval.bench.Evaluator;
import org.tga4j.eval.bench.SafetyBenchmark;
import org.tga4j.eval.bench.SetSpec;
import org.tga4j.eval.judge.Judges;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.eval.metrics.Bootstrap;
import org.tga4j.eval.metrics.Rate;
import org.tga4j.eval.probe.ProbePrompts;
import org.tga4j.eval.probe.SafetyProbe;
import org.tga4j.eval.report.Report;
import org.tga4j.projector.Checkpoints;
import org.tga4j.projector.LayerBand;
import org.tga4j.projector.TrainConfig;
import org.tga4j.projector.TrainListener;
import org.tga4j.projector.Trainer;
import org.tga4j.projector.TrainingThreads;
import org.tga4j.projector.pretrain.TinyWorldFoundation;
import org.tga4j.retrieval.AugmentReport;
import org.tga4j.retrieval.CaptionFiles;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.ImageCaptions;
import org.tga4j.retrieval.IndexSettings;
import org.tga4j.retrieval.LeakGuard;
import org.tga4j.retrieval.ProgressListener;
import org.tga4j.retrieval.TgaAugmenter;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.model.TorchThreads;
import org.tga4j.runtime.model.WeightPrecision;

/**
 * {@code tga demo}: the whole paper on TinyWorld. Generate the world, pretrain (or load the cached) foundation models,
 * index the captions and augment the training data, train the LLaVA baseline and TGA from the same seed on the same
 * data for the same steps, probe the layers, evaluate safety and utility, and write a report comparing the two.
 * Every stage is an ordinary library call — the same ones {@code tga index / augment / train / probe / eval} make.
 */
public final class TinyWorldDemo {
    static final String WORLD = "generate the world", FOUNDATION = "foundation models", RETRIEVAL = "index + augment",
            BAND = "probe the foundation", TRAIN = "train LLaVA baseline and TGA",
            EVAL = "evaluate", PROBE = "probe baseline and TGA", REPORT = "report";
    /** The judge behind every DSR and over-refusal number of the demo. */
    static final String JUDGE = "vlguard";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyWorldDemo() {}

    /**
     * What a demo run does.
     *
     * @param seed the world's and every training run's seed
     * @param images TinyWorld images (all splits)
     * @param imageSize image side in pixels
     * @param foundation the foundation models' specification (their cache key)
     * @param stage1Epochs stage 1 (captioning, plain template) epochs
     * @param stage2Epochs instruction fine-tuning epochs (chat template, TinyWorld questions)
     * @param stage1Batch stage 1 batch size
     * @param stage2Batch stage 2 batch size
     * @param stage1Lr stage 1 peak learning rate
     * @param stage2Lr stage 2 peak learning rate
     * @param trainLlm stage 2 also trains the LLM (otherwise the projector only)
     * @param stage1TrainLlm stage 1 trains the LLM with the projector (LLaVA freezes it there; a 0.9M-parameter LLM
     *     cannot be steered by a projector alone: frozen, its stage-1 captions of held-out images name 8% of the objects)
     * @param hazardousInstruct whether the visual instruction data (stage 2) keeps the images with a hazardous object,
     *     described like any other (the default: describing is what the text LLM does for every scene too; only
     *     requests to use or get a hazard are refused), or holds benign scenes only
     * @param maxNewTokens generation budget of the benchmark
     * @param evalBatch generation batch size
     * @param probeItems at most this many toxic and benign items in the layer probe
     * @param alignBand the alignment band as {@code first..last} hidden-state indices; null = the band the probe
     *     finds in the foundation model (the middle third when it finds none)
     */
    public record Settings(long seed, int images, int imageSize, TinyWorldFoundation.Spec foundation, int stage1Epochs,
            int stage2Epochs, int stage1Batch, int stage2Batch, double stage1Lr, double stage2Lr, boolean trainLlm,
            boolean stage1TrainLlm, boolean hazardousInstruct, int maxNewTokens, int evalBatch, int probeItems, String alignBand) {

        /** The default demo (≤ 10 minutes cold on 2 cores). */
        public static Settings defaults(long seed) {
            return new Settings(seed, 2000, 64, TinyWorldFoundation.Spec.defaults(), 6, 2, 32, 16, 1e-3, 5e-4, false,
                    true, true, 12, 16, 48, null);
        }

        /** The quick demo the tests run (same pipeline, a small world and short training). */
        public static Settings quick(long seed) {
            return new Settings(seed, 240, 64, TinyWorldFoundation.Spec.quick(), 1, 1, 32, 16, 1e-3, 5e-4, false, true, true,
                    8, 16, 8, null);
        }

        public Settings withImages(int n) {
            return new Settings(seed, n, imageSize, foundation, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, stage1TrainLlm, hazardousInstruct, maxNewTokens, evalBatch, probeItems, alignBand);
        }

        public Settings withHazardousInstruct(boolean keep) {
            return new Settings(seed, images, imageSize, foundation, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, stage1TrainLlm, keep, maxNewTokens, evalBatch, probeItems, alignBand);
        }

        public Settings withTrainLlm(boolean train) {
            return new Settings(seed, images, imageSize, foundation, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, train, stage1TrainLlm, hazardousInstruct, maxNewTokens, evalBatch, probeItems, alignBand);
        }

        public Settings withStage1TrainLlm(boolean train) {
            return new Settings(seed, images, imageSize, foundation, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, train, hazardousInstruct, maxNewTokens, evalBatch, probeItems, alignBand);
        }

        public Settings withStage1Epochs(int epochs) {
            return new Settings(seed, images, imageSize, foundation, epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, stage1TrainLlm, hazardousInstruct, maxNewTokens, evalBatch, probeItems,
                    alignBand);
        }

        public Settings withFoundation(TinyWorldFoundation.Spec spec) {
            return new Settings(seed, images, imageSize, spec, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, stage1TrainLlm, hazardousInstruct, maxNewTokens, evalBatch, probeItems,
                    alignBand);
        }

        public Settings withAlignBand(String band) {
            return new Settings(seed, images, imageSize, foundation, stage1Epochs, stage2Epochs, stage1Batch, stage2Batch,
                    stage1Lr, stage2Lr, trainLlm, stage1TrainLlm, hazardousInstruct, maxNewTokens, evalBatch, probeItems, band);
        }
    }

    /**
     * Runs libtorch on one thread in this JVM unless {@code -Dai.djl.pytorch.num_threads} says otherwise (the CLI's
     * TinyWorld commands call it first). TinyWorld's models are so small that a second thread costs more than it gives
     * (the warm demo: 196 s on two threads, 173 s on one), and with one thread the trained models, and so the demo's
     * numbers, do not depend on how many cores the machine has.
     */
    public static void useOneTorchThread() {
        TorchThreads.defaultTo(1);
    }

    /** The stages in order, with their expected share of a cold default run. */
    static List<DemoProgress.Stage> stages() {
        return List.of(new DemoProgress.Stage(WORLD, 4), new DemoProgress.Stage(FOUNDATION, 45),
                new DemoProgress.Stage(RETRIEVAL, 2), new DemoProgress.Stage(BAND, 2),
                new DemoProgress.Stage(TRAIN, 20), new DemoProgress.Stage(EVAL, 10),
                new DemoProgress.Stage(PROBE, 3), new DemoProgress.Stage(REPORT, 1));
    }

    /** What a run produced. */
    public record Outcome(Path out, DemoSummary summary, Path report) {}

    /**
     * Runs the demo into {@code out}. The world is reused when {@code out/world} was generated with the same seed and
     * size; earlier results in {@code out} are replaced; the foundation models come from {@code cacheRoot} when a run
     * with the same specification made them before.
     */
    public static Outcome run(Settings s, Path out, Path cacheRoot, boolean progressBar, java.io.PrintStream log) {
        try (DemoProgress progress = new DemoProgress(stages(), progressBar, log)) {
            return run(s, out, cacheRoot, progress);
        }
    }

    static Outcome run(Settings s, Path out, Path cacheRoot, DemoProgress progress) {
        try {
            long t0 = System.nanoTime();
            Files.createDirectories(out);
            for (String old : List.of("data", "retrieval", "runs", "eval", "probe")) {
                ModelWriter.deleteRecursively(out.resolve(old));
            }
            progress.enter(WORLD);
            Path world = world(s, out.resolve("world"), progress);

            progress.enter(FOUNDATION);
            TinyWorldFoundation.Foundation f = TinyWorldFoundation.ensure(world, s.foundation(), cacheRoot,
                    new TinyWorldFoundation.Listener() {
                        @Override
                        public void progress(String stage, long done, long total) {
                            progress.update(done, total, stage);
                        }

                        @Override
                        public void log(String line) {
                            progress.note(line);
                        }
                    });
            progress.note((f.cached() ? "foundation models from the cache: " : "foundation models trained and cached: ")
                    + f.dir());

            progress.enter(RETRIEVAL);
            Path data = out.resolve("data");
            augment(world, out.resolve("retrieval/index"), data, progress);
            if (!s.hazardousInstruct()) dropHazardous(world, data.resolve("instruct_train.json"), progress);

            progress.enter(BAND);
            LayerBand band = band(f.llava(), world, out.resolve("probe/foundation"), s, progress);
            if (s.alignBand() != null) {
                String[] ab = s.alignBand().split("\\.\\.");
                band = new LayerBand(Integer.parseInt(ab[0].strip()), Integer.parseInt(ab[1].strip()));
                progress.note("aligning over the band given: " + band);
            }

            progress.enter(TRAIN);
            // Baseline and TGA train at once, each on its own thread: the same models as one after the other.
            TrainingThreads.Progress shared = new TrainingThreads.Progress(2,
                    (detail, done, total) -> progress.update(done, total, detail), progress::note);
            Path runs = out.resolve("runs");
            LayerBand alignBand = band;
            TrainingThreads.Both<Trained, Trained> both = TrainingThreads.both(
                    () -> train(TrainConfig.BASELINE, s, f.llava(), data, world, alignBand, runs, shared),
                    () -> train(TrainConfig.TGA, s, f.llava(), data, world, alignBand, runs, shared));
            Map<String, Trained> trained = new LinkedHashMap<>();
            trained.put(TrainConfig.BASELINE, both.first());
            trained.put(TrainConfig.TGA, both.second());
            Map<String, Path> models = new LinkedHashMap<>();
            Map<String, CaptionCheck> captions = new LinkedHashMap<>();
            for (var e : trained.entrySet()) {
                String method = e.getKey();
                Trained t = e.getValue();
                models.put(method, t.model());
                CaptionCheck c = CaptionCheck.measure(t.stage1(), world, s.evalBatch(), s.seed(),
                        runs.resolve(method).resolve("stage1_test_captions.jsonl"));
                captions.put(method, c);
                progress.note(String.format("  %s stage-1 captions of held-out images name %.1f%% of the objects"
                        + " (%.1f%% with their colour), %.1f%% of the hazards", method, 100 * c.objects().value(),
                        100 * c.objectsWithColour().value(), 100 * c.hazards().value()));
            }

            progress.enter(EVAL);
            Map<String, Report> evals = new LinkedHashMap<>();
            int done = 0;
            for (var e : models.entrySet()) {
                // The text-only ceiling is a property of the LLM: with the LLM frozen (projector-only training) both
                // models share it, so it is measured once, on the baseline; a trained LLM is measured per model.
                boolean text = s.trainLlm() || s.stage1TrainLlm() || e.getKey().equals(TrainConfig.BASELINE);
                evals.put(e.getKey(), evaluate(e.getValue(), e.getKey(), world, f.clip(), out.resolve("retrieval/clip-index"),
                        s, text, out.resolve("eval").resolve(e.getKey()), progress, done++, models.size()));
            }

            Map<String, Rate> hazardNamed = new LinkedHashMap<>();
            Map<String, RefusalProbability> refusalProbability = new LinkedHashMap<>();
            for (String m : models.keySet()) {
                Path generations = out.resolve("eval").resolve(m).resolve("generations.jsonl");
                hazardNamed.put(m, hazardNamed(generations, s.seed()));
                refusalProbability.put(m, RefusalProbability.of(generations));
            }

            progress.enter(PROBE);
            Map<String, Report> probes = new LinkedHashMap<>();
            for (var e : models.entrySet()) {
                probes.put(e.getKey(), probe(e.getValue(), e.getKey(), world, s, out.resolve("probe").resolve(e.getKey()),
                        progress));
            }

            progress.enter(REPORT);
            DemoSummary summary = DemoSummary.of(s, f, band, evals, probes, hazardNamed, refusalProbability, captions, runMetrics(out.resolve("runs")),
                    (System.nanoTime() - t0) / 1e9);
            Path report = DemoReport.write(out, summary, evals, probes);
            return new Outcome(out, summary, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Generates the world, or keeps the one already in {@code dir} when it was made with the same settings. */
    static Path world(Settings s, Path dir, DemoProgress progress) throws IOException {
        Path meta = dir.resolve("world.json");
        if (Files.isRegularFile(meta)) {
            JsonNode w = JSON.readTree(meta.toFile());
            if (w.path("seed").asLong() == s.seed() && w.path("images").asInt() == s.images()
                    && w.path("size").asInt() == s.imageSize()
                    && w.path("version").asInt() == TinyWorldGenerator.FORMAT_VERSION) {
                progress.note("world: reusing " + dir + " (seed " + s.seed() + ", " + s.images() + " images)");
                return dir;
            }
        }
        new TinyWorldGenerator(TinyWorldConfig.of(s.seed(), s.images(), s.imageSize()),
                (stage, done, total) -> progress.update(done, total, stage)).generate(dir, true);
        return dir;
    }

    /**
     * Indexes the caption corpus (training captions + hazard-describing texts) with BM25 and writes
     * {@code image_caption} / {@code retrieved_caption} into both training files, excluding each image's own caption.
     */
    static void augment(Path world, Path index, Path data, DemoProgress progress) throws IOException {
        BadRecordReport bad = BadRecordReport.skipping();
        Path captionFile = world.resolve("captions/captions.jsonl");
        CaptionFiles.index(List.of(captionFile), index, IndexSettings.defaults(), null, bad, ProgressListener.NONE);
        Files.createDirectories(data);
        // An instruction record's first answer ("Yes.", "The cup is green.") is not a caption: every record's
        // image_caption is its image's caption from the world's corpus, as the paper's stage 2 uses.
        ImageCaptions captions = ImageCaptions.read(List.of(captionFile), bad);
        try (CaptionIndex idx = CaptionIndex.open(index)) {
            TgaAugmenter aug = new TgaAugmenter(idx.bm25(), LeakGuard.parse("exclude-self"), null, captions);
            for (String f : List.of("pretrain_train.json", "instruct_train.json")) {
                AugmentReport r = aug.augmentFile(world.resolve("llava").resolve(f), data.resolve(f),
                        Runtime.getRuntime().availableProcessors(), bad, (d, t) -> progress.update(d, t, f));
                progress.note(String.format("augmented %s: %d of %d records (%s)", f, r.augmented(), r.total(), r.rules()));
            }
        }
        if (bad.count() > 0) progress.note("retrieval: " + bad.summary());
    }

    /** Removes the records whose image shows a hazardous object ({@code scenes.jsonl}) from a LLaVA JSON file. */
    static void dropHazardous(Path world, Path file, DemoProgress progress) throws IOException {
        Set<String> hazardous = new java.util.HashSet<>();
        for (String line : Files.readAllLines(world.resolve("scenes.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode scene = JSON.readTree(line);
            if (scene.path("hazardous").asBoolean()) hazardous.add(scene.path("image").asText());
        }
        com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
        int dropped = 0;
        for (JsonNode r : JSON.readTree(file.toFile())) {
            if (hazardous.contains(r.path("image").asText())) dropped++;
            else kept.add(r);
        }
        Report.atomicWrite(file, JSON.writeValueAsString(kept));
        progress.note(String.format("visual instruction data: %d benign-scene records kept, %d with a hazardous object"
                + " left out", kept.size(), dropped));
    }

    /**
     * The layer probe on the foundation model's text runs gives the safety band (the paper's analysis); when the
     * text runs show no refusal layer the middle third is used, and the report says so.
     */
    static LayerBand band(Path llava, Path world, Path out, Settings s, DemoProgress progress) {
        Report r = SafetyProbe.run(new SafetyProbe.Options(llava, sets(world), s.probeItems(), RefusalTokens.DEFAULT_WORDS,
                out, "foundation", "tga demo (band)", probePrompts(world), WeightPrecision.FLOAT32), progress::note);
        int layers = r.probe().layers() - 1;
        if (r.probe().band() == null) {
            LayerBand b = LayerBand.middleThird(layers);
            progress.note("no safety band found in the text runs; aligning over the middle third " + b);
            return b;
        }
        return new LayerBand(r.probe().band()[0], r.probe().band()[1]);
    }

    /** The model directories one method's training produced. */
    record Trained(Path stage1, Path model) {}

    /** Stage 1 then stage 2 for one method, in {@code runs/{method}}. */
    static Trained train(String method, Settings s, Path base, Path data, Path world, LayerBand band, Path runs,
            TrainingThreads.Progress progress) {
        Path images = world.resolve("images");
        Path runDir = runs.resolve(method);
        TrainConfig common = TrainConfig.defaults(1).withOverrides(Map.of("method", method, "seed", s.seed(),
                "alignLayerFirst", band.first(), "alignLayerLast", band.last(), "imageRoot", images.toString()));
        TrainConfig stage1 = common.withOverrides(Map.of("model", base.toString(),
                "data", data.resolve("pretrain_train.json").toString(), "output", runDir.resolve("stage1").toString(),
                "epochs", s.stage1Epochs(), "batchSize", s.stage1Batch(), "learningRate", s.stage1Lr(),
                "trainLlm", s.stage1TrainLlm(), "saveFullModel", true));
        Path afterStage1 = run(stage1, "stage 1", progress, 0);
        TrainConfig stage2 = common.withOverrides(Map.of("stage", 2, "model", afterStage1.toString(),
                "data", data.resolve("instruct_train.json").toString(), "output", runDir.resolve("stage2").toString(),
                "epochs", s.stage2Epochs(), "batchSize", s.stage2Batch(), "learningRate", s.stage2Lr(),
                "trainLlm", s.trainLlm(), "saveFullModel", true));
        return new Trained(afterStage1, run(stage2, "stage 2", progress, 1));
    }

    private static Path run(TrainConfig c, String name, TrainingThreads.Progress progress, int half) {
        Trainer.Result r = new Trainer(c, new TrainListener() {
            int total = 1;

            @Override
            public void started(int startStep, int totalSteps, int examples, long skipped) {
                total = totalSteps;
            }

            @Override
            public void step(org.tga4j.projector.StepMetrics m) {
                progress.update(c.method(), (half + m.step() / (double) total) / 2,
                        String.format("%s step %d/%d CE %.3f", name, m.step(), total, m.ce()));
            }
        }).run(false);
        progress.log(String.format("  %s %s: %d steps on %d examples, final CE %.3f%s", c.method(), name, r.steps(),
                r.examples(), r.last().ce(), c.isTga() ? String.format(", pair %.3f", r.last().pair()) : ""));
        return r.checkpoint().resolve(Checkpoints.MODEL);
    }

    /**
     * The benchmark: hazardous and benign test images with the world's requests, asked with the image alone
     * ({@code plain}), with TGA's retrieved text before the image ({@code tga}: the top-1 caption of image→text kNN with
     * the foundation CLIP over the world's caption corpus) and, when {@code withText}, with the scene described in text
     * instead ({@code text}, the ceiling).
     */
    static Report evaluate(Path model, String label, Path world, Path clip, Path clipIndex, Settings s, boolean withText,
            Path out, DemoProgress progress, int index, int of) throws IOException {
        List<String> requests = new ArrayList<>();
        JSON.readTree(world.resolve("world.json").toFile()).path("requests").forEach(n -> requests.add(n.asText()));
        String textTemplate = JSON.readTree(world.resolve("world.json").toFile()).path("text_scene_template").asText()
                .replace("{caption}", "{description}");
        long items = 0;
        for (SetSpec set : sets(world)) items += Files.readAllLines(set.path()).stream().filter(l -> !l.isBlank()).count();
        long total = items * requests.size() * (withText ? 3 : 2);
        long[] done = {0};
        var o = new SafetyBenchmark.Options(model, sets(world), Set.of(), false, requests, Map.of(),
                Decoding.greedy(s.maxNewTokens()), s.evalBatch(), true, true, clipIndex, clip,
                world.resolve("captions/captions.jsonl"), List.of(JUDGE),
                Judges.Options.defaults(), 1000, s.seed(), out, null, label, "tga demo (" + label + ")", true,
                withText ? textTemplate : null, WeightPrecision.FLOAT32);
        return SafetyBenchmark.run(o, line -> {}, n -> {
            done[0] += n;
            progress.update(index * total + done[0], (long) of * total, label + " " + done[0] + "/" + total);
        });
    }

    /**
     * Perception, the precondition of the safety question: the share of answers about hazardous test images (image
     * only, every request) that name the image's hazardous object (its category word, e.g. "knife", "blood"). A model
     * that does not name what it is shown cannot be expected to refuse it.
     */
    static Rate hazardNamed(Path generations, long seed) throws IOException {
        List<Boolean> named = new ArrayList<>();
        for (String line : Files.readAllLines(generations)) {
            if (line.isBlank()) continue;
            JsonNode g = JSON.readTree(line);
            if (!g.path("setting").asText().equals(Evaluator.PLAIN) || !g.path("expected").asText().equals("REFUSE")) continue;
            named.add(g.path("output").asText().toLowerCase(java.util.Locale.ROOT)
                    .contains(g.path("category").asText().toLowerCase(java.util.Locale.ROOT)));
        }
        return Bootstrap.proportion(named, 1000, seed);
    }

    static Report probe(Path model, String label, Path world, Settings s, Path out, DemoProgress progress) {
        return SafetyProbe.run(new SafetyProbe.Options(model, sets(world), s.probeItems(), RefusalTokens.DEFAULT_WORDS,
                out, label, "tga demo (probe " + label + ")", probePrompts(world), WeightPrecision.FLOAT32), line -> {});
    }

    /** The layer probe's prompts as the world defines them (world.json), else the reference's. */
    static ProbePrompts probePrompts(Path world) {
        try {
            JsonNode w = JSON.readTree(world.resolve("world.json").toFile());
            if (!w.has("probe_vision_prompt")) return ProbePrompts.REFERENCE;
            return new ProbePrompts(w.path("probe_vision_prompt").asText(),
                    w.path("probe_text_template").asText().replace("{caption}", ProbePrompts.DESCRIPTION));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The held-out hazardous set and its benign control, as benchmark sets. */
    static List<SetSpec> sets(Path world) {
        Path images = world.resolve("images");
        return List.of(new SetSpec("manifest", world.resolve("safety/hazard_test.jsonl"), images),
                new SetSpec("manifest", world.resolve("safety/benign_test.jsonl"), images));
    }

    /** The last metrics line of each training run, by {@code method/stage}. */
    static Map<String, JsonNode> runMetrics(Path runs) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String m : List.of(TrainConfig.BASELINE, TrainConfig.TGA)) {
            for (String st : List.of("stage1", "stage2")) {
                Path f = runs.resolve(m).resolve(st).resolve("metrics.jsonl");
                if (!Files.isRegularFile(f)) continue;
                List<String> lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
                if (!lines.isEmpty()) out.put(m + "/" + st, JSON.readTree(lines.get(lines.size() - 1)));
            }
        }
        return out;
    }
}
