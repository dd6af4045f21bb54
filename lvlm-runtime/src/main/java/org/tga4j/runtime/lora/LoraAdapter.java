package org.tga4j.runtime.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * A PEFT LoRA adapter directory: {@code adapter_config.json} ({@link PeftLoraConfig}) and
 * {@code adapter_model.safetensors} with PEFT's tensor names — for a base weight {@code X.weight} the pair
 * {@code base_model.model.X.lora_A.weight} {@code [r, in]} and {@code base_model.model.X.lora_B.weight}
 * {@code [out, r]}; tensors of {@code modules_to_save} are stored whole as {@code base_model.model.Y} and replace the
 * base tensor {@code Y}.
 *
 * <p>The runtime applies an adapter by merging it at load time ({@link #mergedOver}): every adapted weight becomes
 * {@code W + scale * B A}, so inference runs at the base model's speed. Names written for either llava-hf tensor
 * scheme ({@code language_model.model.*} or {@code model.language_model.*}) are accepted for a base of the other.
 */
public final class LoraAdapter implements AutoCloseable {
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** The prefix PEFT puts before a module path ({@code PeftModel.base_model.model}). */
    public static final String PREFIX = "base_model.model.";
    private static final String A = ".lora_A.weight", B = ".lora_B.weight";
    /** Equivalent prefixes of the two llava-hf tensor-name schemes. */
    private static final String[][] SCHEMES = {
        {"language_model.model.", "model.language_model."}, {"language_model.lm_head.", "lm_head."},
        {"vision_tower.", "model.vision_tower."}, {"multi_modal_projector.", "model.multi_modal_projector."}};

    private final Path dir;
    private final PeftLoraConfig config;
    private final Checkpoint file;
    /** Adapted base weight name (as the adapter spells it) → its module path. */
    private final Map<String, String> lora = new LinkedHashMap<>();
    /** Replaced base tensor name (as the adapter spells it) → the adapter's tensor name. */
    private final Map<String, String> whole = new LinkedHashMap<>();

    private LoraAdapter(Path dir, PeftLoraConfig config, Checkpoint file) {
        this.dir = dir;
        this.config = config;
        this.file = file;
        Set<String> names = file.names();
        for (String name : names) {
            if (!name.startsWith(PREFIX)) {
                throw new IllegalArgumentException(file.source() + ": tensor '" + name + "' does not start with '"
                        + PREFIX + "' (not a PEFT adapter tensor name)");
            }
            if (name.endsWith(A) || name.endsWith(B)) {
                String module = name.substring(PREFIX.length(), name.length() - A.length());
                String other = PREFIX + module + (name.endsWith(A) ? B : A);
                if (!names.contains(other)) {
                    throw new IllegalArgumentException(file.source() + ": tensor '" + name + "' has no partner '"
                            + other + "'");
                }
                lora.put(module + ".weight", module);
            } else if (name.contains(".lora_")) {
                throw new IllegalArgumentException(file.source() + ": tensor '" + name + "' is not supported (only "
                        + "lora_A / lora_B weights of Linear layers)");
            } else {
                whole.put(name.substring(PREFIX.length()), name);
            }
        }
    }

    /** Opens an adapter directory, validating its config and tensor names. */
    public static LoraAdapter open(Path dir) {
        PeftLoraConfig config = PeftLoraConfig.read(dir);
        Checkpoint file = Checkpoint.open(dir, WEIGHTS);
        try {
            return new LoraAdapter(dir, config, file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Path directory() {
        return dir;
    }

    public PeftLoraConfig config() {
        return config;
    }

    /** The base weights this adapter changes (low-rank), by the names the adapter uses. */
    public Set<String> adaptedWeights() {
        return lora.keySet();
    }

    /**
     * The base checkpoint directory named by {@code base_model_name_or_path} (a relative path is taken from the
     * adapter directory).
     *
     * @throws IllegalArgumentException when it is missing or not a directory
     */
    public Path basePath() {
        String base = config.baseModelNameOrPath();
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException(dir.resolve(PeftLoraConfig.FILE) + ": no base_model_name_or_path;"
                    + " give the base model directory explicitly");
        }
        Path p = dir.resolve(base);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(dir.resolve(PeftLoraConfig.FILE) + ": base model '" + base
                    + "' (base_model_name_or_path) is not a directory here; give the base model directory explicitly");
        }
        return p;
    }

    /** PEFT's name of the A matrix of base weight {@code weightName} ({@code X.weight}). */
    public static String loraAName(String weightName) {
        return PREFIX + module(weightName) + A;
    }

    /** PEFT's name of the B matrix of base weight {@code weightName}. */
    public static String loraBName(String weightName) {
        return PREFIX + module(weightName) + B;
    }

    /** PEFT's name of a whole tensor saved as part of {@code modules_to_save}. */
    public static String savedModuleName(String tensorName) {
        return PREFIX + tensorName;
    }

    private static String module(String weightName) {
        if (!weightName.endsWith(".weight")) throw new IllegalArgumentException("not a weight name: " + weightName);
        return weightName.substring(0, weightName.length() - ".weight".length());
    }

    /**
     * The base source with this adapter merged in: adapted weights come back as {@code W + scale * B A}, saved modules
     * as the adapter's tensors, everything else unchanged. Call {@link MergedSource#requireAllApplied()} once the model
     * is built, so that an adapter whose tensors the model never asked for is an error rather than silently ignored.
     *
     * @param manager the model's long-lived manager (the merged tensors live there)
     */
    public MergedSource mergedOver(ParameterSource base, NDManager manager) {
        return new MergedSource(base, manager);
    }

    /**
     * Writes an adapter directory atomically (built in a hidden sibling, then moved into place).
     *
     * @param tensors PEFT-named tensors (see {@link #loraAName}, {@link #loraBName}, {@link #savedModuleName})
     */
    public static void write(Path out, PeftLoraConfig config, Map<String, NDArray> tensors, Map<String, String> metadata) {
        try {
            ModelWriter.buildDirectory(out, tmp -> {
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.putIfAbsent("format", "pt");
                SafeTensorsWriter.write(tmp.resolve(WEIGHTS), tensors, meta);
                Files.writeString(tmp.resolve(PeftLoraConfig.FILE), config.toJson());
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("saving adapter to " + out + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        file.close();
    }

    /** The name the base source uses for an adapter-side name: itself, or its twin in the other llava scheme. */
    private static String resolve(ParameterSource base, String name) {
        if (base.has(name)) return name;
        for (String[] pair : SCHEMES) {
            for (int i = 0; i < 2; i++) {
                if (name.startsWith(pair[i])) {
                    String twin = pair[1 - i] + name.substring(pair[i].length());
                    if (base.has(twin)) return twin;
                }
            }
        }
        return null;
    }

    /** A base source with the adapter merged in. */
    public final class MergedSource implements ParameterSource {
        private final ParameterSource base;
        private final NDManager manager;
        /** Base-side name → module path (LoRA) and → adapter tensor (whole). */
        private final Map<String, String> loraByBase = new LinkedHashMap<>(), wholeByBase = new LinkedHashMap<>();
        private final Set<String> applied = new LinkedHashSet<>();

        private MergedSource(ParameterSource base, NDManager manager) {
            this.base = base;
            this.manager = manager;
            List<String> missing = new ArrayList<>();
            lora.forEach((weight, module) -> {
                String b = resolve(base, weight);
                if (b == null) missing.add(weight);
                else loraByBase.put(b, module);
            });
            whole.forEach((tensor, adapterName) -> {
                String b = resolve(base, tensor);
                if (b == null) missing.add(tensor);
                else wholeByBase.put(b, adapterName);
            });
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file.source() + ": the base model " + base.describe()
                        + " has no tensor(s) " + missing.subList(0, Math.min(5, missing.size()))
                        + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
                        + " that the adapter changes");
            }
        }

        @Override
        public NDArray get(String name, long... shape) {
            String saved = wholeByBase.get(name);
            if (saved != null) {
                applied.add(name);
                return file.load(saved, shape, manager);
            }
            NDArray w = base.get(name, shape);
            String module = loraByBase.get(name);
            if (module == null) return w;
            long out = shape[0], in = shape[1];
            NDArray a = file.load(PREFIX + module + A, new long[] {config.r(), in}, manager);
            NDArray b = file.load(PREFIX + module + B, new long[] {out, config.r()}, manager);
            NDArray delta = b.matMul(a);
            NDArray merged = w.add(delta.muli((float) config.scale()));
            for (NDArray t : new NDArray[] {w, a, b, delta}) t.close();
            applied.add(name);
            return merged;
        }

        /** Tensors the adapter leaves alone come from the base as it reads FLOAT16; merged ones are rounded. */
        @Override
        public NDArray getHalf(String name, long... shape) {
            boolean changed = wholeByBase.containsKey(name) || loraByBase.containsKey(name);
            return changed ? ParameterSource.super.getHalf(name, shape) : base.getHalf(name, shape);
        }

        @Override
        public boolean has(String name) {
            return wholeByBase.containsKey(name) || base.has(name);
        }

        @Override
        public String describe() {
            return base.describe() + " + adapter " + dir;
        }

        /** Throws when some adapter tensor was not merged because the model never loaded its base tensor. */
        public void requireAllApplied() {
            List<String> unused = new ArrayList<>();
            for (String n : loraByBase.keySet()) if (!applied.contains(n)) unused.add(n);
            for (String n : wholeByBase.keySet()) if (!applied.contains(n)) unused.add(n);
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException(file.source() + ": the model does not use base tensor(s) "
                        + unused.subList(0, Math.min(5, unused.size())) + " that the adapter changes");
            }
        }
    }
}
