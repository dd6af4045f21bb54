package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * Parameters read from an HF checkpoint directory (F32/F16/BF16 widened to FLOAT32, or read as FLOAT16), into the
 * model's manager.
 */
public final class CheckpointParameterSource implements ParameterSource {
    private final Checkpoint checkpoint;
    private final NDManager manager;

    public CheckpointParameterSource(Checkpoint checkpoint, NDManager manager) {
        this.checkpoint = checkpoint;
        this.manager = manager;
    }

    @Override
    public NDArray get(String name, long... shape) {
        return checkpoint.load(name, shape, manager);
    }

    @Override
    public NDArray getHalf(String name, long... shape) {
        return checkpoint.loadHalf(name, shape, manager);
    }

    @Override
    public boolean has(String name) {
        return checkpoint.has(name);
    }

    @Override
    public String describe() {
        return checkpoint.dir().toString();
    }
}
