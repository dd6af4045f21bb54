package org.tga4j.runtime.lora;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A PEFT LoRA adapter's {@code adapter_config.json}, with PEFT's key names. Keys this runtime does not use are
 * ignored when reading; the ones that would change the arithmetic and are not supported (DoRA, fan-in/fan-out
 * weights, trained biases, per-module rank or alpha patterns) are rejected by {@link #validate}.
 *
 * @param peftType must be {@code LORA}
 * @param taskType e.g. {@code CAUSAL_LM}
 * @param r the rank
 * @param loraAlpha the scale numerator: each adapter adds {@code (lora_alpha / r) B A x} ({@code / sqrt(r)} with rsLoRA)
 * @param loraDropout dropout on the adapter's input while training (no effect at inference)
 * @param targetModules the module names adapted ({@code q_proj}, {@code v_proj}, ...)
 * @param baseModelNameOrPath the base checkpoint directory (absolute, or relative to the adapter directory)
 * @param bias {@code none}
 * @param fanInFanOut false (true is only for GPT-2 style Conv1D weights)
 * @param useRslora scale {@code alpha / sqrt(r)} instead of {@code alpha / r}
 * @param useDora must be false
 * @param modulesToSave modules stored whole in the adapter file (e.g. {@code multi_modal_projector})
 * @param rankPattern per-module ranks (must be empty)
 * @param alphaPattern per-module alphas (must be empty)
 * @param inferenceMode whether the adapter was saved for inference
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PeftLoraConfig(
        @JsonProperty("peft_type") String peftType,
        @JsonProperty("task_type") String taskType,
        @JsonProperty("r") int r,
        @JsonProperty("lora_alpha") double loraAlpha,
        @JsonProperty("lora_dropout") double loraDropout,
        @JsonProperty("target_modules") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                List<String> targetModules,
        @JsonProperty("base_model_name_or_path") String baseModelNameOrPath,
        @JsonProperty("bias") String bias,
        @JsonProperty("fan_in_fan_out") boolean fanInFanOut,
        @JsonProperty("use_rslora") boolean useRslora,
        @JsonProperty("use_dora") boolean useDora,
        @JsonProperty("modules_to_save") List<String> modulesToSave,
        @JsonProperty("rank_pattern") Map<String, Object> rankPattern,
        @JsonProperty("alpha_pattern") Map<String, Object> alphaPattern,
        @JsonProperty("inference_mode") boolean inferenceMode) {

    public static final String FILE = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A plain LoRA config as PEFT writes it for a causal LM. */
    public static PeftLoraConfig of(int r, double alpha, double dropout, List<String> targets, String base,
            List<String> modulesToSave) {
        return new PeftLoraConfig("LORA", "CAUSAL_LM", r, alpha, dropout, List.copyOf(targets), base, "none", false,
                false, false, modulesToSave == null ? null : List.copyOf(modulesToSave), Map.of(), Map.of(), true);
    }

    /** The factor each adapter's {@code B A x} is multiplied by: {@code alpha / r}, or {@code alpha / sqrt(r)}. */
    public double scale() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    /**
     * Throws unless this is a LoRA config this runtime computes exactly.
     *
     * @param file the file it came from (for the message)
     */
    public PeftLoraConfig validate(Path file) {
        String what = file + ": ";
        if (!"LORA".equals(peftType)) {
            throw new IllegalArgumentException(what + "peft_type is '" + peftType + "', only LORA adapters are supported");
        }
        if (r < 1) throw new IllegalArgumentException(what + "r must be >= 1, got " + r);
        if (useDora) throw new IllegalArgumentException(what + "use_dora: DoRA adapters are not supported");
        if (fanInFanOut) throw new IllegalArgumentException(what + "fan_in_fan_out: only Linear (not Conv1D) weights are supported");
        if (bias != null && !"none".equals(bias)) {
            throw new IllegalArgumentException(what + "bias '" + bias + "': adapters with trained biases are not supported");
        }
        if (rankPattern != null && !rankPattern.isEmpty() || alphaPattern != null && !alphaPattern.isEmpty()) {
            throw new IllegalArgumentException(what + "rank_pattern / alpha_pattern: per-module ranks are not supported");
        }
        return this;
    }

    /** Reads and validates {@code dir/adapter_config.json}. */
    public static PeftLoraConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return JSON.readValue(file.toFile(), PeftLoraConfig.class).validate(file);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(file + ": not found (a PEFT adapter directory needs " + FILE + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid adapter config: " + e.getMessage(), e);
        }
    }

    /** JSON text as written to {@code adapter_config.json}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether {@code dir} holds an adapter config. */
    public static boolean isAdapterDir(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }
}
