package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tga4j.projector.Checkpoints;
import org.tga4j.projector.NonFiniteLossException;
import org.tga4j.projector.StepMetrics;
import org.tga4j.projector.TrainConfig;
import org.tga4j.projector.TrainListener;
import org.tga4j.projector.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tga train}: projector training (stage 1 / 2, LLaVA baseline or TGA; stage 2 optionally with the whole LLM or
 * LoRA adapters). Options come from {@code --config} (JSON or YAML), then from flags; the resolved configuration is saved beside the checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the vision projector (stage 1) or projector + LLM (stage 2), LLaVA baseline or TGA.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "training config, JSON or YAML (.yaml/.yml); flags override it")
    Path configFile;

    @Option(names = "--resume", description = "continue from OUTPUT/checkpoint (weights, optimiser, schedule, data position)")
    boolean resume;

    @Option(names = "--no-progress", description = "print one line per step instead of a progress bar")
    boolean noProgress;

    @Option(names = "--model", paramLabel = "DIR", description = "base llava checkpoint") String model;
    @Option(names = "--data", paramLabel = "FILE", description = "LLaVA JSON (TGA-augmented for TGA stage 2)") String data;
    @Option(names = "--image-root", paramLabel = "DIR", description = "folder image paths are relative to (default: the data file's folder)") String imageRoot;
    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "run directory") String output;
    @Option(names = "--stage", description = "1 (projector pretraining, plain template) or 2 (fine-tuning)") Integer stage;
    @Option(names = "--method", description = "baseline or tga") String method;
    @Option(names = "--tga-parity", description = "paper (alignment terms carry gradient) or released (detached, as the reference code)") String tgaParity;
    @Option(names = "--template", description = "chat template (default: plain for stage 1, the model's for stage 2)") String template;
    @Option(names = "--system-prompt", description = "system prompt (default: the template's)") String systemPrompt;
    @Option(names = "--train-llm", arity = "0..1", description = "train the whole LLM too (stage 2 as the reference; stage 1 departs from LLaVA)") Boolean trainLlm;
    @Option(names = "--align-layers", paramLabel = "FIRST..LAST", description = "hidden-state indices of the alignment band (default: middle third)") String alignLayers;
    @Option(names = "--pair-weight", description = "w_pair (default 0.25)") Double pairWeight;
    @Option(names = "--hinge-weight", description = "w_hinge (default 0.10)") Double hingeWeight;
    @Option(names = "--lr", description = "peak learning rate") Double learningRate;
    @Option(names = "--min-lr", description = "cosine floor") Double minLearningRate;
    @Option(names = "--warmup-ratio", description = "warm-up share of steps (default 0.03)") Double warmupRatio;
    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay") Double weightDecay;
    @Option(names = "--decay-biases-and-norms", arity = "0..1", description = "decay biases and norm weights too") Boolean decayBiasesAndNorms;
    @Option(names = "--beta1") Double beta1;
    @Option(names = "--beta2") Double beta2;
    @Option(names = "--adam-epsilon") Double adamEpsilon;
    @Option(names = "--max-grad-norm", description = "global gradient-norm clip (0 = off)") Double maxGradNorm;
    @Option(names = "--batch-size", description = "samples per micro-batch") Integer batchSize;
    @Option(names = "--grad-accum", description = "micro-batches per optimiser step") Integer gradientAccumulation;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--max-steps", description = "optimiser steps (0 = by epochs)") Integer maxSteps;
    @Option(names = "--seed") Long seed;
    @Option(names = "--max-length", description = "skip records longer than this many tokens (0 = no limit)") Integer maxLength;
    @Option(names = "--save-every", description = "checkpoint every N steps (and at the end)") Integer saveEvery;
    @Option(names = "--save-full-model", arity = "0..1", description = "stage 1: save the whole model too") Boolean saveFullModel;
    @Option(names = "--fail-on-bad-record", arity = "0..1", description = "stop at the first bad record") Boolean failOnBadRecord;
    @Option(names = "--text-safety-field", description = "record field marking text-side safety samples (LM loss only)") String textSafetyField;
    @Option(names = "--limit", description = "use the first N records only") Integer limit;
    @Option(names = "--lora-rank", paramLabel = "R", description = "stage 2: train rank-R LoRA adapters on the frozen LLM (0 = none)") Integer loraRank;
    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha; the adapter term is scaled by A/R (default: R)") Double loraAlpha;
    @Option(names = "--lora-dropout", description = "dropout on the adapters' input while training (default 0)") Double loraDropout;
    @Option(names = "--lora-targets", paramLabel = "NAMES", split = ",", description = "projections that get adapters, e.g. q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj (default q_proj,v_proj)") java.util.List<String> loraTargets;

    @Override
    public Integer call() throws Exception {
        TrainConfig base;
        if (configFile != null) {
            base = TrainConfig.read(configFile);
        } else if (resume && output != null && Checkpoints.exists(Path.of(output))) {
            base = Checkpoints.readConfig(Path.of(output));
        } else {
            base = TrainConfig.defaults(stage == null ? 1 : stage);
        }
        TrainConfig config = base.withOverrides(overrides());
        Trainer trainer = new Trainer(config, noProgress ? new LineListener() : new BarListener());
        try {
            Trainer.Result r = trainer.run(resume);
            System.out.println();
            System.out.printf("trained %d steps on %d examples (%d bad records skipped), band %s%n", r.steps(),
                    r.examples(), r.skippedRecords(), r.band());
            if (r.last() != null) {
                System.out.printf("last step: loss %.4f  ce %.4f  pair %.4f  hinge %.4f%n", r.last().loss(), r.last().ce(),
                        r.last().pair(), r.last().hinge());
            }
            System.out.println("checkpoint: " + r.checkpoint());
            System.out.println("metrics:    " + r.output().resolve("metrics.jsonl"));
            Path plot = r.output().resolve("loss_curve.png");
            if (Files.exists(plot)) System.out.println("loss curve: " + plot);
            return 0;
        } catch (NonFiniteLossException e) {
            System.err.println();
            System.err.println("tga: " + e.getMessage());
            return 2;
        }
    }

    private Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model);
        o.put("data", data);
        o.put("imageRoot", imageRoot);
        o.put("output", output);
        o.put("stage", stage);
        o.put("method", method);
        o.put("tgaParity", tgaParity);
        o.put("template", template);
        o.put("systemPrompt", systemPrompt);
        o.put("trainLlm", trainLlm);
        if (alignLayers != null) {
            String[] p = alignLayers.split("\\.\\.");
            if (p.length != 2) throw new IllegalArgumentException("--align-layers: expected FIRST..LAST, got " + alignLayers);
            o.put("alignLayerFirst", Integer.parseInt(p[0].trim()));
            o.put("alignLayerLast", Integer.parseInt(p[1].trim()));
        }
        o.put("pairWeight", pairWeight);
        o.put("hingeWeight", hingeWeight);
        o.put("learningRate", learningRate);
        o.put("minLearningRate", minLearningRate);
        o.put("warmupRatio", warmupRatio);
        o.put("weightDecay", weightDecay);
        o.put("decayBiasesAndNorms", decayBiasesAndNorms);
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("adamEpsilon", adamEpsilon);
        o.put("maxGradNorm", maxGradNorm);
        o.put("batchSize", batchSize);
        o.put("gradientAccumulation", gradientAccumulation);
        o.put("epochs", epochs);
        o.put("maxSteps", maxSteps);
        o.put("seed", seed);
        o.put("maxLength", maxLength);
        o.put("saveEvery", saveEvery);
        o.put("saveFullModel", saveFullModel);
        o.put("failOnBadRecord", failOnBadRecord);
        o.put("textSafetyField", textSafetyField);
        o.put("limit", limit);
        o.put("loraRank", loraRank);
        o.put("loraAlpha", loraAlpha);
        o.put("loraDropout", loraDropout);
        o.put("loraTargets", loraTargets == null ? null : loraTargets.stream().map(String::trim).toList());
        return o;
    }

    static String describe(StepMetrics m) {
        return String.format("loss %.4f ce %.4f pair %.3f hinge %.3f | lr %.2e | %.1f samples/s %.0f tok/s", m.loss(),
                m.ce(), m.pair(), m.hinge(), m.learningRate(), m.samplesPerSecond(), m.tokensPerSecond());
    }

    /** A progress bar with the loss components, ETA and throughput. */
    private static final class BarListener implements TrainListener {
        private ProgressBar bar;

        @Override
        public void started(int startStep, int totalSteps, int examples, long skipped) {
            System.err.printf("%d examples (%d bad records skipped), %d steps%s%n", examples, skipped, totalSteps,
                    startStep > 0 ? ", resuming at step " + startStep : "");
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps).setUnit(" steps", 1)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500).startsFrom(startStep,
                            java.time.Duration.ZERO).build();
        }

        @Override
        public void step(StepMetrics m) {
            bar.stepTo(m.step());
            bar.setExtraMessage(describe(m));
            if (m.step() == bar.getMax()) bar.close();
        }

        @Override
        public void checkpoint(int step, Path dir) {
            if (step == bar.getMax()) bar.close();
        }
    }

    /** One line per step (for logs and pipes). */
    private static final class LineListener implements TrainListener {
        private int total;

        @Override
        public void started(int startStep, int totalSteps, int examples, long skipped) {
            total = totalSteps;
            System.err.printf("%d examples (%d bad records skipped), %d steps%s%n", examples, skipped, totalSteps,
                    startStep > 0 ? ", resuming at step " + startStep : "");
        }

        @Override
        public void step(StepMetrics m) {
            System.err.printf("step %d/%d  %s%n", m.step(), total, describe(m));
        }

        @Override
        public void checkpoint(int step, Path dir) {
            System.err.printf("checkpoint at step %d: %s%n", step, dir);
        }
    }
}
