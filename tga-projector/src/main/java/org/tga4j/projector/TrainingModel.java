package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.model.CheckpointParameterSource;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.model.TensorNames;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * A llava model loaded for training: its weights in an uncapped manager of their own (gradients are created in
 * their parameter's manager), the trainable tensors marked as requiring gradients, everything else frozen. The
 * vision tower is always frozen. With {@link LoraSettings} the LLM stays frozen and LoRA adapters on its projections
 * ({@link LoraAdapters}) are trained with the projector.
 */
public final class TrainingModel implements AutoCloseable {
    private final Path directory;
    private final LlavaConfig config;
    private final NDManager weights;
    private final LlavaModel model;
    private final Map<String, NDArray> trainable;
    private final LoraAdapters lora;

    private TrainingModel(Path directory, LlavaConfig config, NDManager weights, LlavaModel model, boolean trainLlm,
            LoraSettings loraSettings) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.model = model;
        TensorNames names = model.tensorNames();
        Map<String, NDArray> t = new LinkedHashMap<>();
        model.parameters().all().forEach((name, a) -> {
            boolean projector = name.startsWith(names.projector());
            boolean llm = name.startsWith(names.decoder()) || name.equals(names.lmHead());
            if (projector || (trainLlm && llm)) {
                a.setRequiresGradient(true);
                zeroGradient(a);
                t.put(name, a);
            }
        });
        this.lora = loraSettings == null ? null : LoraAdapters.attach(model, weights, loraSettings);
        if (lora != null) t.putAll(lora.tensors());
        this.trainable = Collections.unmodifiableMap(t);
    }

    /**
     * Sets a parameter's gradient to zeros, in place ({@link #assign}; multiplying by zero would keep a NaN). The
     * sporadic inf / NaN first-step gradient norms once blamed on an uninitialised gradient buffer came from scalars
     * freed before the backward pass (see {@code Ops.constant}); before a first backward DJL hands out a fresh zero
     * array, so this matters for gradients that already exist (a restored run).
     */
    public static void zeroGradient(NDArray parameter) {
        try (NDArray g = parameter.getGradient(); NDArray zeros = g.zerosLike()) {
            assign(g, zeros);
        }
    }

    /**
     * Copies {@code source}'s values into {@code target} in place (an indexed put into the target's own storage).
     * DJL's {@code NDArray.set(Buffer)} instead makes the tensor's storage the Java buffer itself, which dies with the
     * NDArray object that holds it (a gradient handle closed right after) or with the temporary it was read from:
     * the tensor then reads freed memory — NaN gradient norms a few steps later.
     */
    static void assign(NDArray target, NDArray source) {
        target.set(new NDIndex("..."), source); // "...", not ":": a 0-dim tensor (CLIP's logit_scale) has no axis to slice
    }

    /** Loads a llava checkpoint directory in FLOAT32. */
    public static TrainingModel load(Path dir, boolean trainLlm) {
        return load(dir, trainLlm, DataType.FLOAT32);
    }

    /**
     * Loads a llava checkpoint directory with every weight in {@code dtype} (FLOAT64 for gradient checks).
     *
     * @throws IllegalArgumentException when the directory is not a llava checkpoint
     */
    public static TrainingModel load(Path dir, boolean trainLlm, DataType dtype) {
        return load(dir, trainLlm, dtype, null);
    }

    /**
     * Loads a llava checkpoint directory with every weight in {@code dtype} and, when {@code lora} is given, LoRA
     * adapters attached to the (frozen) LLM's projections.
     *
     * @throws IllegalArgumentException when the directory is not a llava checkpoint, or a LoRA target matches nothing
     */
    public static TrainingModel load(Path dir, boolean trainLlm, DataType dtype, LoraSettings lora) {
        if (lora != null && trainLlm) throw new IllegalArgumentException("LoRA and trainLlm exclude each other");
        Record cfg = ModelConfig.load(dir);
        if (!(cfg instanceof LlavaConfig llava)) {
            throw new IllegalArgumentException(dir + ": training needs a llava checkpoint (model_type llava), found "
                    + cfg.getClass().getSimpleName());
        }
        NDManager weights = NDManager.newBaseManager();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            ParameterSource source = new CheckpointParameterSource(checkpoint, weights);
            // Always a copy in our own memory: a checkpoint tensor may be a view of the memory-mapped file.
            source = new CastingSource(source, dtype);
            Parameters params = new Parameters(source);
            LlavaModel model = new LlavaModel(params, llava, TensorNames.detectLlava(params.source()));
            return new TrainingModel(dir, llava, weights, model, trainLlm, lora);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public LlavaConfig config() {
        return config;
    }

    public LlavaModel model() {
        return model;
    }

    /** The long-lived manager holding the weights (per-step managers are its sub-managers). */
    public NDManager weights() {
        return weights;
    }

    /** The tensors the optimiser updates, by checkpoint name. */
    public Map<String, NDArray> trainable() {
        return trainable;
    }

    /** Whether the language model's weights stay as loaded (no LLM tensor trained, no LoRA adapter). */
    public boolean decoderFrozen() {
        String projector = model.tensorNames().projector();
        return lora == null && trainable.keySet().stream().allMatch(n -> n.startsWith(projector));
    }

    /** The LoRA adapters being trained, or null. */
    public LoraAdapters lora() {
        return lora;
    }

    /**
     * The model's tensors as a checkpoint of the trained model holds them: {@link #all()}, with every LoRA-adapted
     * weight replaced by its merge {@code W + scale B A} (created in {@code m}).
     */
    public Map<String, NDArray> exportTensors(NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>(all());
        if (lora != null) out.putAll(lora.merged(m));
        return out;
    }

    /** The projector's tensors by checkpoint name. */
    public Map<String, NDArray> projector() {
        return model.parameters().withPrefix(model.tensorNames().projector());
    }

    /** Every tensor by checkpoint name. */
    public Map<String, NDArray> all() {
        return model.parameters().all();
    }

    /** Replaces the values of the named tensors (shapes must match), e.g. from a checkpoint being resumed. */
    public void overwrite(Map<String, float[]> values) {
        values.forEach((name, data) -> {
            NDArray p = trainable.containsKey(name) ? trainable.get(name) : model.parameters().all().get(name);
            if (p == null) throw new IllegalArgumentException("the model has no tensor " + name);
            if (p.getShape().size() != data.length) {
                throw new IllegalArgumentException("tensor " + name + ": " + data.length + " values for shape " + p.getShape());
            }
            try (NDManager m = weights.newSubManager()) {
                assign(p, m.create(data, p.getShape()).toType(p.getDataType(), false));
            }
            // Setting a trainable tensor's values can leave its gradient buffer uninitialised: zero it again.
            if (p.hasGradient()) zeroGradient(p);
        });
    }

    @Override
    public void close() {
        if (lora != null) lora.close();
        weights.close();
    }

    /** Copies every tensor of a source, converted to one data type. */
    private record CastingSource(ParameterSource inner, DataType dtype) implements ParameterSource {
        @Override
        public NDArray get(String name, long... shape) {
            NDArray a = inner.get(name, shape);
            NDArray cast = a.getDataType() == dtype ? a.duplicate() : a.toType(dtype, true);
            a.close();
            return cast;
        }

        @Override
        public boolean has(String name) {
            return inner.has(name);
        }

        @Override
        public String describe() {
            return inner.describe() + " as " + dtype;
        }
    }
}
