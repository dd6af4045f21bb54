package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every option of a text pretraining run ({@link TextPretrainer}); saved, resolved, in the output as
 * {@code pretrain_config.json}.
 *
 * @param model the causal LM to start from: an HF checkpoint directory of a text-only llama-family model
 * @param output where the trained checkpoint goes (replaced atomically when the run succeeds)
 * @param conversations LLaVA conversation JSON files; text-only rows are trained on their answers, rows with an
 *     image are ignored (counted)
 * @param documents caption-corpus JSONL files ({@code {"id","text"}}); each text is trained as {@code <s>{text}</s>}
 *     with the loss on every token
 * @param template chat template name of the conversations (see {@code ChatTemplates.names()})
 * @param systemPrompt system prompt of the conversations; null = the template's default
 * @param learningRate peak learning rate
 * @param minLearningRate floor of the cosine decay
 * @param warmupRatio share of the steps spent in linear warm-up
 * @param weightDecay AdamW decoupled weight decay (not on norm weights)
 * @param beta1 AdamW beta1
 * @param beta2 AdamW beta2
 * @param adamEpsilon AdamW epsilon
 * @param maxGradNorm global gradient-norm clip; 0 = off
 * @param batchSize sequences per optimiser step
 * @param epochs passes over the data (when {@code maxSteps} is 0)
 * @param maxSteps optimiser steps; 0 = {@code epochs} decide
 * @param seed seed of the data order
 * @param maxLength sequences longer than this are skipped (and counted); 0 = no limit
 * @param failOnBadRecord stop at the first bad record instead of skipping and counting it
 * @param replace whether an existing output directory may be replaced (only ever by a complete new one)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TextPretrainConfig(
        String model,
        String output,
        List<String> conversations,
        List<String> documents,
        String template,
        String systemPrompt,
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
        int maxLength,
        boolean failOnBadRecord,
        boolean replace) {

    /** The file the resolved config is saved as in the output directory. */
    public static final String FILE = "pretrain_config.json";

    public TextPretrainConfig {
        conversations = conversations == null ? List.of() : List.copyOf(conversations);
        documents = documents == null ? List.of() : List.copyOf(documents);
        template = template == null ? "llava_v1" : template;
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (epochs < 1 && maxSteps < 1) throw new IllegalArgumentException("need epochs >= 1 or maxSteps >= 1");
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        if (minLearningRate < 0 || minLearningRate > learningRate) {
            throw new IllegalArgumentException("minLearningRate must be in [0, learningRate], got " + minLearningRate);
        }
        if (warmupRatio < 0 || warmupRatio >= 1) {
            throw new IllegalArgumentException("warmupRatio must be in [0, 1), got " + warmupRatio);
        }
        if (maxLength < 0) throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
    }

    /**
     * Defaults that train TinyWorld's small llama (4 layers, hidden 128) from scratch: peak lr 3e-3 with 5% warm-up
     * and cosine decay to 3e-4, batch 8, AdamW (0.9, 0.98), weight decay 0.01, clip 1.0, 1 epoch, llava_v1 template
     * with its default system prompt. On TinyWorld's text data (seed 1, 2000 images) this learns the refusal rule:
     * see {@link TinyWorldTextBenchmark}. No paths set.
     */
    public static TextPretrainConfig defaults() {
        return new TextPretrainConfig(null, null, List.of(), List.of(), "llava_v1", null, 3e-3, 3e-4, 0.05, 0.01, 0.9,
                0.98, 1e-8, 1.0, 8, 1, 0, 42, 0, false, false);
    }

    /** This config with the given fields replaced (JSON property name → value; null values are ignored). */
    public TextPretrainConfig withOverrides(Map<String, ?> overrides) {
        return ConfigRecords.withOverrides(this, overrides, TextPretrainConfig.class);
    }

    /** Reads a config file; fields it leaves out take the {@link #defaults()}. */
    public static TextPretrainConfig read(Path file) {
        return ConfigRecords.read(file, defaults(), TextPretrainConfig.class);
    }

    /** JSON text of this config. */
    public String toJson() {
        return ConfigRecords.toJson(this);
    }
}
