package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov &amp; Hutter) on NDArrays, as {@code torch.optim.AdamW} computes it:
 *
 * <pre>
 * p   &lt;- p - lr * wd * p                      (decoupled weight decay; only tensors in the decay set)
 * m   &lt;- b1 m + (1 - b1) g,   v &lt;- b2 v + (1 - b2) g^2
 * p   &lt;- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * The moments live in the optimiser's own manager and are saved with each checkpoint so a resumed run continues
 * exactly. Gradients are read from the parameters and zeroed after the update.
 */
public final class AdamW implements AutoCloseable {
    private final Map<String, NDArray> params;
    private final Set<String> decayed;
    private final double beta1, beta2, eps, weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private long t;

    /**
     * @param params the trainable tensors by name
     * @param decayed the names that receive weight decay
     */
    public AdamW(Map<String, NDArray> params, Set<String> decayed, double beta1, double beta2, double eps,
            double weightDecay, NDManager parent) {
        this.params = params;
        this.decayed = Set.copyOf(decayed);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
        params.forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape(), p.getDataType()));
            v.put(name, manager.zeros(p.getShape(), p.getDataType()));
        });
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    /** Applies one update with learning rate {@code lr} and zeroes the gradients. */
    public void step(double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            params.forEach((name, p) -> {
                NDArray g = p.getGradient();
                if (weightDecay != 0 && decayed.contains(name)) p.subi(p.mul(lr * weightDecay));
                NDArray mi = m.get(name), vi = v.get(name);
                mi.muli(beta1).addi(g.mul(1 - beta1));
                vi.muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray denom = vi.div(c2).sqrt().add(eps);
                p.subi(mi.div(c1).div(denom).mul(lr));
                g.subi(g);
            });
        }
    }

    /** Zeroes the trainable tensors' gradients without updating (after a skipped step). */
    public void zeroGradients() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            params.values().forEach(p -> p.getGradient().muli(0));
        }
    }

    /** Scales every gradient so their global L2 norm is at most {@code maxNorm}; returns the norm before clipping. */
    public double clipGradients(double maxNorm) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray p : params.values()) {
                sumSquares += p.getGradient().square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
            double norm = Math.sqrt(sumSquares);
            if (maxNorm > 0 && norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                for (NDArray p : params.values()) p.getGradient().muli(scale);
            }
            return norm;
        }
    }

    /** The first and second moments, named {@code exp_avg.NAME} / {@code exp_avg_sq.NAME}, for saving. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("exp_avg." + k, a));
        v.forEach((k, a) -> out.put("exp_avg_sq." + k, a));
        return out;
    }

    /** Restores moments (as from {@link #state()}) and the step count. */
    public void restore(Map<String, float[]> state, long steps) {
        state.forEach((key, data) -> {
            NDArray target = key.startsWith("exp_avg_sq.") ? v.get(key.substring("exp_avg_sq.".length()))
                    : key.startsWith("exp_avg.") ? m.get(key.substring("exp_avg.".length())) : null;
            if (target == null) throw new IllegalArgumentException("optimizer state has an unknown entry " + key);
            if (target.getShape().size() != data.length) {
                throw new IllegalArgumentException("optimizer state " + key + ": " + data.length + " values for shape "
                        + target.getShape());
            }
            try (NDManager tmp = manager.newSubManager()) {
                TrainingModel.assign(target, tmp.create(data, target.getShape()).toType(target.getDataType(), false));
            }
        });
        this.t = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
