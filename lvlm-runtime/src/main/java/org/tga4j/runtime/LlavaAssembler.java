package org.tga4j.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.ClipVisionConfig;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.model.MlpProjector;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.model.TensorNames;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.SafeTensorsWriter;
import org.tga4j.runtime.weights.TensorDType;

/**
 * Builds a llava checkpoint the way LLaVA's model builder does before stage-1 training: a pretrained LLaMA-family
 * causal LM, a pretrained CLIP vision tower, and a freshly initialised projector between them.
 *
 * <ul>
 *   <li>LLM ({@code model_type} llama / mistral / qwen2): its tensors move under {@code language_model.} (the
 *       llava-hf original scheme, {@link TensorNames#LLAVA_ORIGINAL}); its config becomes {@code text_config}; its
 *       tokenizer files and {@code generation_config.json} are copied. The tokenizer must already hold an
 *       {@code <image>} token (its id becomes {@code image_token_index}).
 *   <li>CLIP: a dual encoder ({@code model_type clip}, only {@code vision_model.*} is taken; the text tower, the
 *       projection heads and {@code logit_scale} are dropped) or a vision-only checkpoint
 *       ({@code model_type clip_vision_model}). Its {@code vision_model.*} tensors move under
 *       {@code vision_tower.vision_model.}; its {@code preprocessor_config.json} is copied (a CLIP default for its
 *       image size is written when it has none).
 *   <li>Projector: {@code mlp2x_gelu} or {@code linear}, initialised as PyTorch initialises the {@code nn.Linear}
 *       layers LLaVA's {@code build_vision_projector} creates (weights and biases uniform in
 *       {@code ±1/sqrt(fan_in)}), from a seed: same seed, same projector.
 * </ul>
 *
 * Floats are stored in the LLM's dtype (that of its embedding table). The output directory appears whole or not at
 * all.
 */
public final class LlavaAssembler {
    /** The LLM files copied verbatim when present. */
    static final List<String> LLM_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    private LlavaAssembler() {}

    /**
     * How to join the parts.
     *
     * @param projectorType {@code mlp2x_gelu} (LLaVA-1.5) or {@code linear} (LLaVA-1.0)
     * @param visionFeatureLayer hidden state of the vision tower fed to the projector (negative counts from the end;
     *     LLaVA uses -2, the penultimate block)
     * @param visionFeatureSelectStrategy {@code default} (drop the class token) or {@code full}
     * @param imageAspectRatio {@code pad} (pad to a square with the mean colour first, LLaVA-1.5) or {@code square}
     *     (the CLIP transform as is)
     * @param seed seed of the projector's initialisation
     */
    public record Options(String projectorType, int visionFeatureLayer, String visionFeatureSelectStrategy,
            String imageAspectRatio, long seed) {
        public Options {
            if (!"mlp2x_gelu".equals(projectorType) && !"linear".equals(projectorType)) {
                throw new IllegalArgumentException("projector type '" + projectorType
                        + "' is not supported (expected mlp2x_gelu or linear)");
            }
            if (!"default".equals(visionFeatureSelectStrategy) && !"full".equals(visionFeatureSelectStrategy)) {
                throw new IllegalArgumentException("vision feature select strategy '" + visionFeatureSelectStrategy
                        + "' is not supported (expected default or full)");
            }
            if (!"pad".equals(imageAspectRatio) && !"square".equals(imageAspectRatio)) {
                throw new IllegalArgumentException("image aspect ratio '" + imageAspectRatio
                        + "' is not supported (expected pad or square)");
            }
        }

        /** LLaVA-1.5's choices: {@code mlp2x_gelu}, layer -2, {@code default}, {@code pad}. */
        public static Options defaults(long seed) {
            return new Options("mlp2x_gelu", -2, "default", "pad", seed);
        }
    }

    /**
     * Writes the llava checkpoint to {@code out}.
     *
     * @param llmDir a causal LM checkpoint directory (llama, mistral or qwen2) whose tokenizer has {@code <image>}
     * @param clipDir a CLIP checkpoint directory (dual encoder or vision-only)
     * @param replace replace an existing {@code out} (only once the new one is whole); otherwise {@code out} must
     *     not exist or be empty
     * @return {@code out}
     * @throws IllegalArgumentException naming the directory and what was expected when an input is not what it
     *     should be
     */
    public static Path assemble(Path llmDir, Path clipDir, Options opts, Path out, boolean replace) {
        TextConfig text = textConfig(llmDir);
        ClipVisionConfig vision = visionConfig(clipDir);
        int imageToken = imageToken(llmDir, text);
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(llmDir.toAbsolutePath().normalize()) || target.equals(clipDir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(out + ": the output must not be one of the input checkpoints");
        }
        LlavaConfig config = new LlavaConfig("llava", text, vision, "gelu", opts.projectorType(),
                opts.visionFeatureLayer(), opts.visionFeatureSelectStrategy(), imageToken, opts.imageAspectRatio(),
                text.tieWordEmbeddings());
        try {
            ModelWriter.requireEmptyUnlessReplacing(target, replace);
            ModelWriter.buildDirectory(target, tmp -> {
                writeInto(tmp, llmDir, clipDir, config, opts.seed());
                return null;
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("assembling llava into " + out + ": " + e.getMessage(), e);
        }
    }

    private static void writeInto(Path dir, Path llmDir, Path clipDir, LlavaConfig config, long seed)
            throws IOException {
        TensorNames names = TensorNames.LLAVA_ORIGINAL;
        try (NDManager m = NDManager.newBaseManager();
                Checkpoint llm = Checkpoint.open(llmDir);
                Checkpoint clip = Checkpoint.open(clipDir)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : llm.names()) {
                tensors.put(llavaName(llmDir, name, names), llm.load(name, m));
            }
            if (!tensors.containsKey(names.decoder() + "embed_tokens.weight")) {
                throw new IllegalArgumentException(llmDir + ": not a causal LM checkpoint: no model.embed_tokens.weight");
            }
            int visionTensors = 0;
            for (String name : clip.names()) {
                if (name.startsWith("vision_model.")) {
                    tensors.put("vision_tower." + name, clip.load(name, m));
                    visionTensors++;
                }
            }
            if (visionTensors == 0) {
                throw new IllegalArgumentException(clipDir + ": no vision_model.* tensors (not a CLIP checkpoint)");
            }
            Parameters projector = new Parameters(new LinearInit(m, seed));
            new MlpProjector(projector, names.projector(), config.projectorType(), config.projectorHiddenAct(),
                    config.visionConfig().hiddenSize(), config.textConfig().hiddenSize());
            tensors.putAll(projector.all());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("tga4j_projector_seed", Long.toString(seed));
            SafeTensorsWriter.writeSharded(dir, tensors, meta, ModelWriter.DEFAULT_MAX_SHARD_BYTES,
                    floatType(llm, "model.embed_tokens.weight"));
        }
        for (String f : LLM_FILES) {
            if (Files.isRegularFile(llmDir.resolve(f))) Files.copy(llmDir.resolve(f), dir.resolve(f));
        }
        Path preprocessor = clipDir.resolve("preprocessor_config.json");
        if (Files.isRegularFile(preprocessor)) {
            Files.copy(preprocessor, dir.resolve("preprocessor_config.json"), StandardCopyOption.REPLACE_EXISTING);
        } else {
            ImageProcessorConfig.clip(config.visionConfig().imageSize()).save(dir.resolve("preprocessor_config.json"));
        }
        ModelConfig.save(config, dir);
    }

    /** {@code model.X -> language_model.model.X}, {@code lm_head.weight -> language_model.lm_head.weight}. */
    private static String llavaName(Path llmDir, String name, TensorNames names) {
        if (name.startsWith(TensorNames.CAUSAL_LM.decoder())) {
            return names.decoder() + name.substring(TensorNames.CAUSAL_LM.decoder().length());
        }
        if (name.equals(TensorNames.CAUSAL_LM.lmHead())) return names.lmHead();
        throw new IllegalArgumentException(llmDir + ": tensor '" + name + "' is neither under model. nor lm_head.weight"
                + " (expected a causal LM checkpoint)");
    }

    private static TensorDType floatType(Checkpoint llm, String name) {
        TensorDType t = llm.has(name) ? llm.info(name).dtype() : TensorDType.F32;
        return t.isFloat32Compatible() ? t : TensorDType.F32;
    }

    private static TextConfig textConfig(Path llmDir) {
        Record cfg = ModelConfig.load(llmDir);
        if (cfg instanceof TextConfig t) return t;
        String found = cfg instanceof LlavaConfig ? "a llava checkpoint" : cfg instanceof ClipConfig ? "a CLIP model"
                : cfg.getClass().getSimpleName();
        throw new IllegalArgumentException(llmDir + ": expected a causal LM (model_type llama, mistral or qwen2) as"
                + " the language model, found " + found);
    }

    /** The vision tower's config of a CLIP dual encoder or a vision-only CLIP checkpoint. */
    static ClipVisionConfig visionConfig(Path clipDir) {
        Path file = clipDir.resolve(ModelConfig.FILE);
        JsonNode node;
        try {
            node = ModelConfig.json().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + (Files.exists(file) ? "not valid JSON: " + e.getMessage()
                    : "not found (a CLIP model directory needs config.json)"), e);
        }
        String type = node == null ? null : node.path("model_type").asText(null);
        try {
            if ("clip_vision_model".equals(type)) return ModelConfig.json().treeToValue(node, ClipVisionConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
        }
        if (!"clip".equals(type)) {
            throw new IllegalArgumentException(file + ": expected a CLIP model (model_type clip or clip_vision_model)"
                    + " as the vision tower, found model_type " + type);
        }
        return ((ClipConfig) ModelConfig.load(clipDir)).visionConfig();
    }

    private static int imageToken(Path llmDir, TextConfig text) {
        try (TextTokenizer tok = TextTokenizer.load(llmDir)) {
            int id = tok.tokenId("<image>").orElseThrow(() -> new IllegalArgumentException(llmDir
                    + "/tokenizer.json: the LLM's tokenizer has no <image> token; add it (and resize the embeddings)"
                    + " before assembling a llava"));
            if (id >= text.vocabSize()) {
                throw new IllegalArgumentException(llmDir + ": the <image> token's id " + id
                        + " is outside the LLM's vocabulary of " + text.vocabSize() + " embeddings");
            }
            return id;
        }
    }


    /**
     * PyTorch's {@code nn.Linear} initialisation ({@code kaiming_uniform_(a=sqrt(5))} for the weight, which is
     * uniform in ±1/sqrt(fan_in), and the same bound for the bias), seeded per tensor name. A bias takes the fan-in
     * of the weight requested just before it (its own layer's).
     */
    private static final class LinearInit implements ParameterSource {
        private final NDManager manager;
        private final long seed;
        private long fanIn = -1;

        LinearInit(NDManager manager, long seed) {
            this.manager = manager;
            this.seed = seed;
        }

        @Override
        public NDArray get(String name, long... shape) {
            if (shape.length == 2) {
                fanIn = shape[1];
            } else if (shape.length != 1 || fanIn < 0) {
                throw new IllegalStateException("projector tensor " + name + ": expected a Linear weight or bias");
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            Shape s = new Shape(shape);
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
            float[] data = new float[Math.toIntExact(s.size())];
            for (int i = 0; i < data.length; i++) data[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
            return manager.create(data, s);
        }

        @Override
        public boolean has(String name) {
            return true;
        }

        @Override
        public String describe() {
            return "nn.Linear init(seed=" + seed + ")";
        }
    }
}
