package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Random initialisation as HF does it: normal(0, std) for weights and embeddings, ones for norm weights, zeros for
 * biases. Each tensor's values depend only on the seed and the tensor's name, so a model is reproducible whatever
 * order it loads in.
 */
public final class RandomParameterSource implements ParameterSource {
    private final NDManager manager;
    private final long seed;
    private final double std;

    public RandomParameterSource(NDManager manager, long seed, double std) {
        this.manager = manager;
        this.seed = seed;
        this.std = std;
    }

    @Override
    public NDArray get(String name, long... shape) {
        Shape s = new Shape(shape);
        int n = Math.toIntExact(s.size());
        float[] data = new float[n];
        if (isNormWeight(name)) {
            java.util.Arrays.fill(data, 1f);
        } else if (!name.endsWith(".bias")) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
            for (int i = 0; i < n; i++) data[i] = (float) (r.nextGaussian() * std);
        }
        return manager.create(data, s);
    }

    private static boolean isNormWeight(String name) {
        return name.endsWith("norm.weight") || name.endsWith("layernorm.weight") || name.endsWith("layrnorm.weight")
                || name.endsWith("layer_norm1.weight") || name.endsWith("layer_norm2.weight")
                || name.endsWith("final_layer_norm.weight") || name.endsWith("post_layernorm.weight");
    }

    @Override
    public boolean has(String name) {
        return true;
    }

    @Override
    public String describe() {
        return "random(seed=" + seed + ", std=" + std + ")";
    }
}
