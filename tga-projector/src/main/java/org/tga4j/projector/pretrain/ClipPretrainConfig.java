package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.Map;

/**
 * Every option of a CLIP contrastive pretraining run; saved, resolved, as {@code pretrain_config.json} in the
 * output directory.
 *
 * @param model the CLIP dual-encoder checkpoint to start from (HF layout, {@code model_type clip})
 * @param data LLaVA JSON with image–caption pairs (stage-1 style: {@code image} + the first gpt turn as caption)
 * @param imageRoot folder the records' image paths are relative to; null = the data file's folder
 * @param valData held-out pairs (same format) for the retrieval accuracy; null = hold out {@code valFraction} of
 *     {@code data}
 * @param output the directory the trained CLIP is written to (with metrics and plot)
 * @param valFraction share of {@code data} held out when {@code valData} is null (0 = no held-out measurement)
 * @param evalGroupSize val pairs each image's caption is retrieved among (0 = all val pairs at once)
 * @param learningRate peak learning rate
 * @param minLearningRate floor of the cosine decay
 * @param warmupRatio share of the steps spent in linear warm-up
 * @param weightDecay AdamW decoupled weight decay (matrices only: not biases, norms, class embedding, logit scale)
 * @param beta1 AdamW beta1
 * @param beta2 AdamW beta2 (CLIP used 0.98)
 * @param adamEpsilon AdamW epsilon (CLIP used 1e-6)
 * @param maxGradNorm global gradient-norm clip; 0 = off
 * @param batchSize pairs per step: each image's caption is contrasted against the batch's other captions
 * @param epochs passes over the training pairs
 * @param maxSteps optimiser step cap; 0 = epochs decide
 * @param seed seed of the shuffle and the held-out split
 * @param failOnBadRecord stop at the first bad record instead of skipping and counting it
 * @param limit use only the first N training records; 0 = all
 * @param resetLogitScale start {@code logit_scale} from the config's {@code logit_scale_init_value} (ln(1/0.07) for
 *     CLIP), as a freshly initialised HF CLIP does, instead of the checkpoint's value; for a randomly written
 *     checkpoint whose {@code logit_scale} is not CLIP's initial value
 * @param maxSkippedSteps a step whose gradient norm is not finite (a rare overflow through the embeddings'
 *     normalisation) is skipped — no update, gradients zeroed, counted — as mixed-precision trainers skip overflowing
 *     steps; more skips than this stop the run. A non-finite loss always stops it.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClipPretrainConfig(
        String model,
        String data,
        String imageRoot,
        String valData,
        String output,
        double valFraction,
        int evalGroupSize,
        double learningRate,
        double minLearningRate,
        double warmupRatio,
        double weightDecay,
        double beta1,
        double beta2,
        double adamEpsilon,
        double maxGradNorm,
        int batchSize,
        int epochs,
        int maxSteps,
        long seed,
        boolean failOnBadRecord,
        int limit,
        boolean resetLogitScale,
        int maxSkippedSteps) {

    /** The file name the resolved config is saved under in the output directory. */
    public static final String FILE = "pretrain_config.json";

    public ClipPretrainConfig {
        if (batchSize < 2) throw new IllegalArgumentException("batchSize must be >= 2 (contrastive), got " + batchSize);
        if (epochs < 1 && maxSteps < 1) throw new IllegalArgumentException("need epochs >= 1 or maxSteps >= 1");
        if (learningRate <= 0) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        if (warmupRatio < 0 || warmupRatio >= 1) {
            throw new IllegalArgumentException("warmupRatio must be in [0, 1), got " + warmupRatio);
        }
        if (valFraction < 0 || valFraction >= 1) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
        if (maxSkippedSteps < 0) throw new IllegalArgumentException("maxSkippedSteps must be >= 0, got " + maxSkippedSteps);
        if (evalGroupSize < 0) throw new IllegalArgumentException("evalGroupSize must be >= 0, got " + evalGroupSize);
    }

    /** Defaults (CLIP's optimiser settings, a schedule sized for a small model), with no paths set. */
    public static ClipPretrainConfig defaults() {
        return new ClipPretrainConfig(null, null, null, null, null, 0.1, 0, 5e-4, 1e-5, 0.1, 0.1, 0.9, 0.98, 1e-6,
                1.0, 64, 10, 0, 42, false, 0, false, 10);
    }

    /** This config with the given fields replaced (JSON property name → value; null values are ignored). */
    public ClipPretrainConfig withOverrides(Map<String, ?> overrides) {
        return ConfigRecords.withOverrides(this, overrides, ClipPretrainConfig.class);
    }

    /** Reads a config file; fields it leaves out take the {@link #defaults()}. */
    public static ClipPretrainConfig read(Path file) {
        return ConfigRecords.read(file, defaults(), ClipPretrainConfig.class);
    }

    /** JSON text of this config. */
    public String toJson() {
        return ConfigRecords.toJson(this);
    }
}
