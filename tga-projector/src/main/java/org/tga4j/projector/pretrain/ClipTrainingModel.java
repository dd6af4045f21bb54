package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tga4j.projector.Autograd;
import org.tga4j.projector.TrainingModel;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.model.CheckpointParameterSource;
import org.tga4j.runtime.model.ClipModel;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * A CLIP dual encoder loaded for contrastive training: every tensor (both towers, both projections,
 * {@code logit_scale}) copied into an uncapped manager of its own, marked as requiring gradients, with a zeroed
 * gradient buffer.
 */
public final class ClipTrainingModel implements AutoCloseable {
    /** CLIP clamps its log temperature to at most ln 100, so logits are scaled by at most 100. */
    public static final double MAX_LOGIT_SCALE = Math.log(100);

    private final Path directory;
    private final ClipConfig config;
    private final NDManager weights;
    private final ClipModel model;

    private ClipTrainingModel(Path directory, ClipConfig config, NDManager weights, ClipModel model) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.model = model;
    }

    /**
     * Loads a CLIP checkpoint directory for training.
     *
     * @throws IllegalArgumentException when the directory is not a CLIP dual encoder
     */
    public static ClipTrainingModel load(Path dir) {
        Record cfg = ModelConfig.load(dir);
        if (!(cfg instanceof ClipConfig clip)) {
            throw new IllegalArgumentException(dir + ": CLIP pretraining needs a CLIP dual encoder (model_type clip),"
                    + " found " + cfg.getClass().getSimpleName());
        }
        NDManager weights = NDManager.newBaseManager();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Parameters params = new Parameters(new TrainableCopy(new CheckpointParameterSource(checkpoint, weights)));
            // The towers derive views of some parameters once, at construction (e.g. the patch "convolution" kernel
            // reshaped to a matrix). Built with gradient recording on, those views stay connected to the parameters
            // they came from, so the parameters receive their gradients.
            ClipModel model;
            try (Autograd ignored = Autograd.record()) {
                model = new ClipModel(params, clip);
            }
            return new ClipTrainingModel(dir, clip, weights, model);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public ClipConfig config() {
        return config;
    }

    public ClipModel model() {
        return model;
    }

    /** The long-lived manager holding the weights; per-step managers are its sub-managers. */
    public NDManager weights() {
        return weights;
    }

    /** Every tensor by checkpoint name; all of them are trained. */
    public Map<String, NDArray> parameters() {
        return model.parameters().all();
    }

    /** The learned log temperature. */
    public NDArray logitScale() {
        return parameters().get("logit_scale");
    }

    /** Its current value. */
    public double logitScaleValue() {
        try (NDArray v = logitScale().toType(DataType.FLOAT64, true)) {
            return v.getDouble();
        }
    }

    /** Clamps {@code logit_scale} into {@code [0, ln 100]}, as CLIP does after every optimiser step. */
    public void clampLogitScale() {
        double v = logitScaleValue();
        double clamped = Math.max(0, Math.min(MAX_LOGIT_SCALE, v));
        if (clamped != v) setLogitScale(clamped);
    }

    /** Overwrites {@code logit_scale} (the log temperature), e.g. with the config's initial value. */
    public void setLogitScale(double value) {
        NDArray p = logitScale();
        try (NDManager m = weights.newSubManager()) {
            p.set(m.full(p.getShape(), (float) value, p.getDataType()).toByteBuffer());
        }
    }

    /** Overwrites every gradient with zeros (multiplying by zero would keep a NaN or an infinity). */
    public void zeroGradients() {
        parameters().values().forEach(TrainingModel::zeroGradient);
    }

    /**
     * The tensors that receive weight decay: matrices (and embedding tables) only — not biases, norm gains, the
     * class embedding or {@code logit_scale}, as OpenCLIP excludes every tensor of rank below 2.
     */
    public Set<String> decayed() {
        Set<String> out = new LinkedHashSet<>();
        parameters().forEach((name, a) -> {
            if (a.getShape().dimension() >= 2 && !name.contains("norm")) out.add(name);
        });
        return out;
    }

    @Override
    public void close() {
        weights.close();
    }

    /**
     * Copies each tensor into our own memory (a checkpoint tensor may be a view of the memory-mapped file), marks it
     * as requiring a gradient and zeroes the gradient buffer: DJL's PyTorch engine attaches that buffer without
     * initialising it, so the first backward would otherwise add to whatever the memory held.
     */
    private record TrainableCopy(ParameterSource inner) implements ParameterSource {
        @Override
        public NDArray get(String name, long... shape) {
            NDArray a = inner.get(name, shape);
            NDArray copy = a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, true);
            a.close();
            copy.setRequiresGradient(true);
            TrainingModel.zeroGradient(copy);
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
