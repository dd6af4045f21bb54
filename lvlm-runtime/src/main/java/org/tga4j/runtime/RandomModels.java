package org.tga4j.runtime;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.ClipTextConfig;
import org.tga4j.runtime.config.ClipVisionConfig;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.model.ClipModel;
import org.tga4j.runtime.model.ClipVisionTower;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.model.RandomParameterSource;
import org.tga4j.runtime.model.TensorNames;
import org.tga4j.runtime.text.BpeTokenizerTrainer;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * Writes randomly initialised checkpoints in the HF layout, with a real trained BPE {@code tokenizer.json} — for
 * tests, benchmarks and trying the runtime without downloading anything.
 */
public final class RandomModels {
    private RandomModels() {}

    /**
     * What to generate.
     *
     * @param arch {@code llama}, {@code mistral}, {@code qwen2} (text-only), {@code llava} (CLIP + projector + llama)
     *     or {@code clip} (dual encoder; text tower sized by layers/hidden/heads)
     * @param intermediate MLP width (0: {@code ~8/3 hidden}, rounded up to a multiple of 32)
     */
    public record Spec(String arch, int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab,
            long seed, int visionLayers, int visionHidden, int imageSize, int patchSize) {

        public static Spec llama(int layers, int hidden, int heads, int kvHeads, int vocab, long seed) {
            return new Spec("llama", layers, hidden, heads, kvHeads, 0, vocab, seed, 2, 64, 32, 8);
        }

        public Spec withArch(String a) {
            return new Spec(a, layers, hidden, heads, kvHeads, intermediate, vocab, seed, visionLayers, visionHidden,
                    imageSize, patchSize);
        }

        int mlpWidth() {
            return intermediate > 0 ? intermediate : (hidden * 8 / 3 + 31) / 32 * 32;
        }
    }

    /** Writes the checkpoint into {@code out} (which must not exist or be empty), atomically. */
    public static Path write(Spec spec, Path out) {
        return write(spec, out, false);
    }

    /** As {@link #write(Spec, Path)}; with {@code replace}, an existing directory is replaced once the new one is whole. */
    public static Path write(Spec spec, Path out, boolean replace) {
        return write(spec, out, replace, null);
    }

    /**
     * As {@link #write(Spec, Path, boolean)}, with the tokenizer files ({@code tokenizer.json},
     * {@code tokenizer_config.json}, {@code special_tokens_map.json}) copied from {@code tokenizerDir} instead of a
     * generated one; the vocabulary size then comes from that tokenizer and {@link Spec#vocab()} is ignored. The
     * tokenizer must have an {@code <image>} token.
     *
     * @param tokenizerDir folder holding at least {@code tokenizer.json}; null = generate one
     */
    public static Path write(Spec spec, Path out, boolean replace, Path tokenizerDir) {
        try {
            if (!replace && Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) throw new IllegalArgumentException(out + " exists and is not empty");
                }
            }
            ModelWriter.buildDirectory(out, tmp -> {
                writeInto(spec, tmp, tokenizerDir);
                return null;
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("writing random model to " + out + ": " + e.getMessage(), e);
        }
    }

    private static void writeInto(Spec spec, Path dir, Path tokenizerDir) throws IOException {
        if (tokenizerDir == null) {
            BpeTokenizerTrainer.writeRandomModelTokenizer(dir, spec.vocab(), spec.seed());
        } else {
            copyTokenizer(tokenizerDir, dir);
        }
        int vocab, bos, eos, image;
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            vocab = tok.vocabSize();
            bos = tok.bosId();
            eos = tok.eosId();
            image = tok.tokenId("<image>").orElseThrow(() -> new IllegalStateException("tokenizer lacks <image>"));
        }
        if (spec.arch().equals("clip")) {
            writeClip(spec, dir, vocab, eos);
            return;
        }
        String textType = spec.arch().equals("llava") ? "llama" : spec.arch();
        TextConfig text = new TextConfig(textType, vocab, spec.hidden(), spec.mlpWidth(), spec.layers(), spec.heads(),
                spec.kvHeads(), null, "silu", 4096, 1e-5, 10000.0, false, null, null, bos, eos, null);
        Record config = text;
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters params = new Parameters(new RandomParameterSource(m, spec.seed(), 0.02));
            if (spec.arch().equals("llava")) {
                ClipVisionConfig vision = visionConfig(spec);
                LlavaConfig llava = new LlavaConfig("llava", text, vision, "gelu", "mlp2x_gelu", -2, "default", image,
                        "pad", false);
                // Build the whole tower (every block), not just the blocks up to vision_feature_layer.
                new ClipVisionTower(params, vision, TensorNames.LLAVA_ORIGINAL.vision(),
                        vision.numHiddenLayers(), true);
                new LlavaModel(params, llava, TensorNames.LLAVA_ORIGINAL);
                ImageProcessorConfig.clip(spec.imageSize()).save(dir.resolve("preprocessor_config.json"));
                config = llava;
            } else {
                new LlavaModel(params, text);
            }
            Map<String, String> meta = new LinkedHashMap<>(Map.of("format", "pt", "tga4j_random_seed",
                    Long.toString(spec.seed())));
            SafeTensorsWriter.write(dir.resolve("model.safetensors"), params.all(), meta);
        }
        ModelConfig.save(config, dir);
        Files.writeString(dir.resolve("generation_config.json"),
                "{\n  \"bos_token_id\": " + bos + ",\n  \"eos_token_id\": " + eos + "\n}\n");
    }

    private static void copyTokenizer(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from.resolve("tokenizer.json"))) {
            throw new IllegalArgumentException(from + ": no tokenizer.json to build the random model with");
        }
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            if (Files.isRegularFile(from.resolve(f))) Files.copy(from.resolve(f), to.resolve(f));
        }
    }

    private static void writeClip(Spec spec, Path dir, int vocab, int eos) throws IOException {
        ClipVisionConfig vision = visionConfig(spec);
        ClipTextConfig text = new ClipTextConfig(null, vocab, spec.hidden(), spec.mlpWidth(), spec.layers(),
                spec.heads(), 77, "quick_gelu", 1e-5, eos, spec.hidden());
        ClipConfig config = new ClipConfig("clip", text, vision, spec.hidden(), 2.6592);
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters params = new Parameters(new RandomParameterSource(m, spec.seed(), 0.02));
            new ClipModel(params, config);
            // HF initialises logit_scale to logit_scale_init_value (ln(1/0.07)), not to a small random number.
            // (in place: NDArray.set(float[]) would alias a Java buffer rather than copy into the tensor)
            params.all().get("logit_scale").muli(0f).addi(config.logitScaleInitValue().floatValue());
            SafeTensorsWriter.write(dir.resolve("model.safetensors"), params.all(), Map.of("format", "pt"));
        }
        ImageProcessorConfig.clip(spec.imageSize()).save(dir.resolve("preprocessor_config.json"));
        ModelConfig.save(config, dir);
    }

    private static ClipVisionConfig visionConfig(Spec spec) {
        return new ClipVisionConfig(null, spec.visionHidden(), spec.visionHidden() * 4, spec.visionLayers(),
                Math.max(1, spec.visionHidden() / 32), 3, spec.imageSize(), spec.patchSize(), "quick_gelu", 1e-5,
                spec.visionHidden());
    }
}
