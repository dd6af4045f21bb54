package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Map;
import org.tga4j.projector.TrainingModel;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.model.CheckpointParameterSource;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * A text-only causal LM (llama / mistral / qwen2 checkpoint) loaded for training: a FLOAT32 copy of every tensor in
 * an uncapped manager of its own (the per-step managers are its sub-managers; gradients live beside their
 * parameters), the runtime's own {@link LlavaModel} text-only decoder over them, and every tensor trainable
 * (embeddings, all decoder layers, final norm, LM head).
 */
public final class CausalLm implements AutoCloseable {
    private final Path directory;
    private final TextConfig config;
    private final NDManager weights;
    private final LlavaModel model;

    private CausalLm(Path directory, TextConfig config, NDManager weights, LlavaModel model) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.model = model;
        for (NDArray a : model.parameters().all().values()) {
            a.setRequiresGradient(true);
            TrainingModel.zeroGradient(a);
        }
    }

    /**
     * Loads a checkpoint directory.
     *
     * @throws IllegalArgumentException when the directory holds no text-only causal LM (e.g. a llava or CLIP model)
     */
    public static CausalLm load(Path dir) {
        Record cfg = ModelConfig.load(dir);
        if (!(cfg instanceof TextConfig text)) {
            throw new IllegalArgumentException(dir + ": text pretraining needs a text-only causal LM checkpoint"
                    + " (model_type llama, mistral or qwen2), found " + cfg.getClass().getSimpleName());
        }
        NDManager weights = NDManager.newBaseManager();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Parameters params = new Parameters(new CopyingSource(new CheckpointParameterSource(checkpoint, weights)));
            return new CausalLm(dir, text, weights, new LlavaModel(params, text));
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public TextConfig config() {
        return config;
    }

    /** The runtime model (text-only: no vision tower, no projector). */
    public LlavaModel model() {
        return model;
    }

    /** The long-lived manager holding the weights. */
    public NDManager weights() {
        return weights;
    }

    /** Every tensor by checkpoint name ({@code model.*}, {@code lm_head.weight} unless tied); all are trainable. */
    public Map<String, NDArray> parameters() {
        return model.parameters().all();
    }

    /** Number of scalars in the model. */
    public long parameterCount() {
        return model.parameters().count();
    }

    @Override
    public void close() {
        weights.close();
    }

    /** FLOAT32 copies in our own memory: a checkpoint tensor may be a view of the memory-mapped file. */
    private record CopyingSource(ParameterSource inner) implements ParameterSource {
        @Override
        public NDArray get(String name, long... shape) {
            NDArray a = inner.get(name, shape);
            NDArray copy = a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, true);
            a.close();
            return copy;
        }

        @Override
        public boolean has(String name) {
            return inner.has(name);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
