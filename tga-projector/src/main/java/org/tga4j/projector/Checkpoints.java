package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.lora.LoraAdapter;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * A training checkpoint directory ({@code OUTPUT/checkpoint}), written whole or not at all (built in a hidden
 * sibling, then moved into place; the previous checkpoint is removed only after the new one is in place):
 * <pre>
 * mm_projector.safetensors   the projector's tensors with their llava-hf names (LLaVA's stage-1 artefact)
 * model/                     the whole model in HF layout (stage 2 without LoRA, or with saveFullModel; LoRA merged)
 * adapter/                   LoRA runs: the PEFT adapter (adapter_config.json, adapter_model.safetensors with the
 *                            lora_A / lora_B tensors and the projector as modules_to_save) — loadable with
 *                            Lvlm.load(adapterDir) over the base model
 * optimizer.safetensors      AdamW moments (exp_avg.NAME, exp_avg_sq.NAME)
 * trainer_state.json         step, data position, seed, schedule position
 * train_config.json          the resolved configuration of the run
 * </pre>
 */
public final class Checkpoints {
    public static final String DIR = "checkpoint", PROJECTOR = "mm_projector.safetensors", MODEL = "model",
            OPTIMIZER = "optimizer.safetensors", ADAPTER = "adapter", STATE = "trainer_state.json", CONFIG = "train_config.json";

    private Checkpoints() {}

    /** Writes a checkpoint into {@code output/checkpoint}, replacing the previous one only once complete. */
    public static Path save(Path output, TrainingModel model, AdamW optimizer, TrainerState state, TrainConfig config,
            boolean fullModel) {
        Path target = output.resolve(DIR).toAbsolutePath();
        try {
            Files.createDirectories(output);
            Path tmp = Files.createTempDirectory(output, ".checkpoint.tmp-");
            try {
                Map<String, String> meta = Map.of("format", "pt", "tga4j_step", Integer.toString(state.step()));
                SafeTensorsWriter.write(tmp.resolve(PROJECTOR), model.projector(), meta);
                SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer.state(), meta);
                if (fullModel) saveModel(tmp.resolve(MODEL), model, meta);
                if (model.lora() != null) saveAdapter(tmp.resolve(ADAPTER), model, meta);
                Files.writeString(tmp.resolve(CONFIG), config.toJson());
                Files.writeString(tmp.resolve(STATE), TrainConfig.JSON.writeValueAsString(state));
                ModelWriter.replaceDirectory(tmp, target);
            } finally {
                ModelWriter.deleteRecursively(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("saving checkpoint to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves the LoRA adapters in PEFT layout, the trained projector included as {@code modules_to_save} so that the
     * adapter directory alone (with its base) gives the trained model.
     */
    public static void saveAdapter(Path dir, TrainingModel model, Map<String, String> metadata) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(model.lora().tensors());
        model.projector().forEach((name, t) -> tensors.put(LoraAdapter.savedModuleName(name), t));
        String projectorModule = model.model().tensorNames().projector();
        projectorModule = projectorModule.substring(projectorModule.lastIndexOf('.', projectorModule.length() - 2) + 1,
                projectorModule.length() - 1);
        LoraAdapter.write(dir, model.lora().peftConfig(model.directory(), List.of(projectorModule)), tensors, metadata);
    }

    /**
     * Saves the whole model in HF layout: the current tensors (LoRA adapters merged), plus the base checkpoint's tensors the model never
     * loaded (e.g. vision blocks past {@code vision_feature_layer}), in the base checkpoint's order.
     */
    public static void saveModel(Path dir, TrainingModel model, Map<String, String> metadata) {
        try (Checkpoint base = Checkpoint.open(model.directory());
                ai.djl.ndarray.NDManager m = model.weights().newSubManager()) {
            Map<String, NDArray> current = model.exportTensors(m);
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (String name : base.names()) {
                NDArray loaded = current.get(name);
                all.put(name, loaded != null ? loaded : base.load(name, m));
            }
            current.forEach(all::putIfAbsent);
            ModelWriter.save(dir, model.config(), all, model.directory(), metadata, ModelWriter.DEFAULT_MAX_SHARD_BYTES);
        }
    }

    /** Whether {@code output} holds a complete checkpoint (recovering one a kill left moved aside). */
    public static boolean exists(Path output) {
        recover(output);
        Path d = output.resolve(DIR);
        return Files.isRegularFile(d.resolve(STATE)) && Files.isRegularFile(d.resolve(PROJECTOR))
                && Files.isRegularFile(d.resolve(OPTIMIZER));
    }

    /**
     * A run killed between moving the previous checkpoint aside and moving the new one in leaves only
     * {@code .checkpoint.old-*}: put it back.
     */
    static void recover(Path output) {
        Path target = output.resolve(DIR);
        if (Files.exists(target) || !Files.isDirectory(output)) return;
        try (Stream<Path> s = Files.list(output)) {
            Path old = s.filter(p -> p.getFileName().toString().startsWith("." + DIR + ".old-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
            if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("recovering the checkpoint in " + output + ": " + e.getMessage(), e);
        }
    }

    public static TrainerState readState(Path output) {
        Path f = output.resolve(DIR).resolve(STATE);
        try {
            return TrainConfig.JSON.readValue(f.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
        }
    }

    public static TrainConfig readConfig(Path output) {
        Path f = output.resolve(DIR).resolve(CONFIG);
        try {
            return TrainConfig.fromJson(Files.readString(f));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
        }
    }

    /** Loads the trained weights and optimiser state of the checkpoint in {@code output} into a fresh model. */
    public static void restore(Path output, TrainingModel model, AdamW optimizer, TrainerState state) {
        Path dir = output.resolve(DIR);
        Map<String, float[]> weights = new LinkedHashMap<>();
        try (Checkpoint projector = Checkpoint.open(dir, PROJECTOR)) {
            for (String name : projector.names()) weights.put(name, projector.loadFloats(name));
        }
        if (model.lora() != null) {
            try (Checkpoint adapter = Checkpoint.open(dir.resolve(ADAPTER), LoraAdapter.WEIGHTS)) {
                for (String name : model.lora().tensors().keySet()) weights.put(name, adapter.loadFloats(name));
            }
        }
        boolean needsModel = model.trainable().keySet().stream().anyMatch(n -> !weights.containsKey(n));
        if (needsModel) {
            try (Checkpoint full = Checkpoint.open(dir.resolve(MODEL))) {
                for (String name : model.trainable().keySet()) {
                    if (!weights.containsKey(name)) weights.put(name, full.loadFloats(name));
                }
            }
        }
        model.overwrite(weights);
        Map<String, float[]> moments = new LinkedHashMap<>();
        try (Checkpoint opt = Checkpoint.open(dir, OPTIMIZER)) {
            for (String name : opt.names()) moments.put(name, opt.loadFloats(name));
        }
        optimizer.restore(moments, state.step());
    }

    /** The tensors of a safetensors file as floats (for tests and tools). */
    public static Map<String, float[]> readTensors(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoint.open(file)) {
            for (String name : c.names()) out.put(name, c.loadFloats(name));
        }
        return out;
    }

    static Map<String, NDArray> ordered(Map<String, NDArray> m) {
        return new LinkedHashMap<>(m);
    }
}
