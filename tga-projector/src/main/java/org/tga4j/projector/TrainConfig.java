package org.tga4j.projector;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every option of a training run. Read from a JSON or YAML file, overridden by command-line flags (see
 * {@link #withOverrides(Map)}), and saved, resolved, beside each checkpoint as {@code train_config.json}.
 *
 * @param model base checkpoint directory (HF llava layout)
 * @param data LLaVA conversation JSON (optionally TGA-augmented with {@code image_caption} / {@code retrieved_caption})
 * @param imageRoot folder the records' image paths are relative to
 * @param output run directory (checkpoint, metrics, plot)
 * @param stage 1 = projector pretraining (plain template), 2 = instruction fine-tuning (chat template)
 * @param method {@code baseline} (LM loss only, the LLaVA recipe) or {@code tga}
 * @param tgaParity {@code paper} (alignment terms carry gradient) or {@code released} (both terms detached, as the
 *     reference code behaves)
 * @param template chat template name; null = {@code plain} for stage 1, the model's own for stage 2
 * @param systemPrompt system prompt of the main and the caption sequences; null = the template's default
 * @param trainLlm train the whole LLM as well as the projector: in stage 2 as the reference does; in stage 1 a departure
 *     from LLaVA (which freezes the LLM there) for LLMs too small to be steered through a projector alone
 * @param alignLayerFirst first hidden-state index of the alignment band (0 = embeddings); null = middle third
 * @param alignLayerLast last hidden-state index of the band (inclusive); null = middle third
 * @param pairWeight weight of {@code L_pair} (0.25 in the paper)
 * @param hingeWeight weight of {@code L_hinge} (0.10 in the paper)
 * @param learningRate peak learning rate
 * @param minLearningRate floor of the cosine decay
 * @param warmupRatio share of the optimiser steps spent in linear warm-up
 * @param weightDecay AdamW decoupled weight decay
 * @param decayBiasesAndNorms whether biases and norm weights are decayed too (off in LLaVA / HF)
 * @param beta1 AdamW beta1
 * @param beta2 AdamW beta2
 * @param adamEpsilon AdamW epsilon
 * @param maxGradNorm global gradient-norm clip; 0 = off
 * @param batchSize samples per micro-batch
 * @param gradientAccumulation micro-batches per optimiser step
 * @param epochs passes over the data
 * @param maxSteps optimiser steps cap; 0 = epochs decide
 * @param seed seed of the data order
 * @param maxLength records whose prompt is longer are skipped (and counted); 0 = no limit
 * @param saveEvery checkpoint every N optimiser steps (and always at the end); 0 = only at the end
 * @param saveFullModel stage 1: also save the whole model (HF layout) in the checkpoint
 * @param failOnBadRecord stop at the first bad record instead of skipping and counting
 * @param textSafetyField records whose extra field of this name is {@code true} get the LM loss only
 * @param limit use only the first N records; 0 = all
 * @param loraRank stage 2: rank of LoRA adapters on the LLM's projections (the LLM otherwise frozen); 0 = no LoRA
 * @param loraAlpha LoRA alpha (the adapter term is scaled by {@code alpha / rank}); null = the rank (scale 1)
 * @param loraDropout dropout on the adapters' input while training
 * @param loraTargets decoder projections that get adapters ({@code q_proj}, {@code k_proj}, {@code v_proj},
 *     {@code o_proj}, {@code gate_proj}, {@code up_proj}, {@code down_proj}); null = {@code q_proj, v_proj} (PEFT's
 *     default for LLaMA-family models)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainConfig(
        String model,
        String data,
        String imageRoot,
        String output,
        int stage,
        String method,
        String tgaParity,
        String template,
        String systemPrompt,
        boolean trainLlm,
        Integer alignLayerFirst,
        Integer alignLayerLast,
        double pairWeight,
        double hingeWeight,
        double learningRate,
        double minLearningRate,
        double warmupRatio,
        double weightDecay,
        boolean decayBiasesAndNorms,
        double beta1,
        double beta2,
        double adamEpsilon,
        double maxGradNorm,
        int batchSize,
        int gradientAccumulation,
        int epochs,
        int maxSteps,
        long seed,
        int maxLength,
        int saveEvery,
        boolean saveFullModel,
        boolean failOnBadRecord,
        String textSafetyField,
        int limit,
        int loraRank,
        Double loraAlpha,
        double loraDropout,
        List<String> loraTargets) {

    /** PEFT's default LoRA targets for LLaMA-family decoders. */
    public static final List<String> DEFAULT_LORA_TARGETS = List.of("q_proj", "v_proj");
    public static final String BASELINE = "baseline", TGA = "tga", PARITY_PAPER = "paper", PARITY_RELEASED = "released";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new YAMLMapper();

    public TrainConfig {
        if (stage != 1 && stage != 2) throw new IllegalArgumentException("stage must be 1 or 2, got " + stage);
        if (!BASELINE.equals(method) && !TGA.equals(method)) {
            throw new IllegalArgumentException("method must be '" + BASELINE + "' or '" + TGA + "', got '" + method + "'");
        }
        if (!PARITY_PAPER.equals(tgaParity) && !PARITY_RELEASED.equals(tgaParity)) {
            throw new IllegalArgumentException("tgaParity must be '" + PARITY_PAPER + "' or '" + PARITY_RELEASED
                    + "', got '" + tgaParity + "'");
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (gradientAccumulation < 1) {
            throw new IllegalArgumentException("gradientAccumulation must be >= 1, got " + gradientAccumulation);
        }
        if (epochs < 1 && maxSteps < 1) throw new IllegalArgumentException("need epochs >= 1 or maxSteps >= 1");
        if (learningRate <= 0) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        if (warmupRatio < 0 || warmupRatio >= 1) {
            throw new IllegalArgumentException("warmupRatio must be in [0, 1), got " + warmupRatio);
        }
        if (loraRank < 0) throw new IllegalArgumentException("loraRank must be >= 0, got " + loraRank);
        if (loraRank > 0 && stage == 1) {
            throw new IllegalArgumentException("loraRank: stage 1 trains the projector only; LoRA is for stage 2");
        }
        if (loraRank > 0 && trainLlm) {
            throw new IllegalArgumentException("loraRank and trainLlm exclude each other: LoRA trains adapters on a"
                    + " frozen LLM, trainLlm the whole LLM");
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("loraDropout must be in [0, 1), got " + loraDropout);
        }
        if (loraAlpha != null && !(loraAlpha > 0)) throw new IllegalArgumentException("loraAlpha must be > 0, got " + loraAlpha);
        if (loraTargets != null && (loraTargets.isEmpty() || loraTargets.stream().anyMatch(t -> t == null || t.isBlank()))) {
            throw new IllegalArgumentException("loraTargets must name at least one projection, got " + loraTargets);
        }
        if ((alignLayerFirst == null) != (alignLayerLast == null)) {
            throw new IllegalArgumentException("give both alignLayerFirst and alignLayerLast, or neither");
        }
        if (alignLayerFirst != null && alignLayerFirst > alignLayerLast) {
            throw new IllegalArgumentException("alignLayerFirst " + alignLayerFirst + " > alignLayerLast " + alignLayerLast);
        }
    }

    /** The defaults of a stage (paper values for the loss; LLaVA's schedule), with no paths set. */
    public static TrainConfig defaults(int stage) {
        return new TrainConfig(null, null, null, null, stage, TGA, PARITY_PAPER, null, null, false, null, null, 0.25, 0.10,
                stage == 1 ? 1e-3 : 2e-5, 0.0, 0.03, 0.0, false, 0.9, 0.999, 1e-8, 1.0, stage == 1 ? 32 : 4, 1, 1, 0,
                42, 0, 0, false, false, "text_safety", 0, 0, null, 0.0, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTga() {
        return TGA.equals(method);
    }

    /** The LoRA adapters this run trains, or null when it trains none ({@code loraRank} 0). */
    public LoraSettings lora() {
        if (loraRank == 0) return null;
        return new LoraSettings(loraRank, loraAlpha == null ? loraRank : loraAlpha, loraDropout,
                loraTargets == null ? DEFAULT_LORA_TARGETS : loraTargets, seed);
    }

    /** Whether the alignment terms are detached (the released reference code's behaviour). */
    public boolean detachAlignment() {
        return PARITY_RELEASED.equals(tgaParity);
    }

    /** The template name this run uses. */
    public String templateOr(String modelDefault) {
        if (template != null) return template;
        return stage == 1 ? "plain" : modelDefault;
    }

    /** The alignment band for a decoder with {@code layers} layers (hidden-state indices 0..layers). */
    public LayerBand band(int layers) {
        LayerBand b = alignLayerFirst == null ? LayerBand.middleThird(layers) : new LayerBand(alignLayerFirst, alignLayerLast);
        if (b.last() > layers) {
            throw new IllegalArgumentException("alignment band " + b + " exceeds the model's hidden states 0.." + layers);
        }
        return b;
    }

    /** This config with the given fields replaced (JSON property name → value; null values are ignored). */
    public TrainConfig withOverrides(Map<String, ?> overrides) {
        ObjectNode node = JSON.valueToTree(this);
        overrides.forEach((k, v) -> {
            if (v == null) return;
            if (!node.has(k)) throw new IllegalArgumentException("unknown training option '" + k + "'");
            node.set(k, JSON.valueToTree(v));
        });
        try {
            return JSON.treeToValue(node, TrainConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad training option: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a config file, JSON or YAML (by the extension {@code .yaml} / {@code .yml}); fields it leaves out take the
     * stage defaults. An unknown key is an error naming the file and the key.
     */
    public static TrainConfig read(Path file) {
        boolean yaml = isYaml(file);
        String format = yaml ? "YAML" : "JSON";
        try {
            JsonNode root = (yaml ? YAML : JSON).readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) root = JSON.createObjectNode();
            if (!(root instanceof ObjectNode given)) {
                throw new IllegalArgumentException(file + ": a training config must be a " + format
                        + (yaml ? " mapping" : " object") + " of option names to values");
            }
            int stage = given.path("stage").asInt(1);
            ObjectNode node = JSON.valueToTree(defaults(stage));
            given.fields().forEachRemaining(e -> {
                if (!node.has(e.getKey())) {
                    throw new IllegalArgumentException(file + ": unknown training option '" + e.getKey() + "'");
                }
                node.set(e.getKey(), e.getValue());
            });
            return JSON.treeToValue(node, TrainConfig.class);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": training config not found", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid " + format + " training config: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isYaml(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** JSON text of this config. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TrainConfig fromJson(String json) {
        try {
            return JSON.readValue(json, TrainConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad training config JSON: " + e.getMessage(), e);
        }
    }
}
