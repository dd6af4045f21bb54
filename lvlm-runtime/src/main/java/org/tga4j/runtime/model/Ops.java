package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** The handful of tensor functions the modeling files share. */
public final class Ops {
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);

    private Ops() {}

    /**
     * Rows {@code ids} (any shape, INT64) of {@code table} ({@code [vocab, hidden]}): {@code [...ids, hidden]}, in the
     * ids' manager. This is torch's {@code embedding}, whose backward sums each row's gradient in a fixed order. The
     * same lookup by advanced indexing ({@code table[ids]}) back-propagates through {@code index_put_} with
     * accumulation, which on more than one CPU thread adds with atomics in whatever order the threads reach a repeated
     * id: a trained embedding table then differs in its last bits from run to run, and training stops being
     * reproducible from its seed.
     */
    public static NDArray embedding(NDArray table, NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * {@code x W^T + b} over the last axis (torch.nn.functional.linear); {@code bias} may be null. A {@link LinearHook}
     * attached to {@code weight} (e.g. a LoRA adapter) adds its term to the result. Up to {@link #FEW_ROWS} FLOAT32
     * rows outside autograd (decode steps) are multiplied by {@link DecodeKernels} where the JVM can run it, with a
     * FLOAT32 or FLOAT16 weight.
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Shape shape = x.getShape();
        long rows = shape.size() / shape.get(shape.dimension() - 1);
        NDArray y = rows <= FEW_ROWS && DecodeKernels.applies(x) && DecodeKernels.appliesToWeight(weight, rows)
                ? DecodeKernels.linear(x, weight, bias, (int) rows)
                : TorchThreads.parallel(() -> product(x, weight, bias, rows));
        LinearHook hook = LinearHooks.find(weight);
        return hook == null ? y : hook.apply(x, y);
    }

    private static NDArray product(NDArray x, NDArray weight, NDArray bias, long rows) {
        if (weight.getDataType() == DataType.FLOAT16) return halfPrecisionLinear(x, weight, bias, rows);
        // Inference only: a trained weight keeps torch's linear, the path its gradient is known to take.
        if (rows > 1 && rows <= FEW_ROWS && !weight.hasGradient()) return fewRowsLinear(x, weight, bias, rows);
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }

    /**
     * A scalar of {@code like}'s data type in {@code like}'s manager, to multiply or divide by where a gradient may
     * flow. DJL's {@code mul(Number)} / {@code div(Number)} / {@code pow(Number)} create the scalar in a Java-owned
     * buffer and close it at once, while autograd keeps the scalar for the backward pass: once the garbage collector
     * frees that buffer the backward reads freed memory (sporadic inf / NaN gradients). This scalar stays registered
     * in the caller's manager until that manager closes, i.e. past the backward pass.
     */
    public static NDArray constant(NDArray like, double value) {
        NDArray c = like.getDataType() == DataType.FLOAT64
                ? like.getManager().create(value) : like.getManager().create((float) value);
        return c.getDataType() == like.getDataType() ? c : c.toType(like.getDataType(), false);
    }

    /**
     * Input rows up to which a product counts as a decode step's. There, where {@link DecodeKernels} cannot run,
     * {@code (W x^T)^T} runs faster than {@code x W^T}: the same product, but MKL's sgemm then takes the weight as
     * its left operand, measured 1.2-1.7x faster for 2-16 rows on the project's CPU ({@code tga bench runtime},
     * batch 8). One row (matrix-vector) and longer inputs (prefill) keep torch's linear.
     */
    public static final int FEW_ROWS = 16;

    /** What multiplies FLOAT32 decode steps (up to {@link #FEW_ROWS} rows, no autograd) in this JVM, for reports. */
    public static String decodeProducts() {
        return DecodeKernels.description();
    }

    private static final NDIndex WHOLE = new NDIndex(":");

    private static NDArray fewRowsLinear(NDArray x, NDArray weight, NDArray bias, long rows) {
        Shape shape = x.getShape();
        // A product lands in its left operand's manager: take a view of the weight in the input's (per-step) manager.
        NDArray w = weight.get(x.getManager(), WHOLE);
        NDArray y = w.matMul(x.reshape(rows, shape.get(shape.dimension() - 1)).transpose()).transpose();
        if (bias != null) y = y.add(bias);
        long[] outShape = shape.getShape().clone(); // getShape() is the input Shape's own array
        outShape[outShape.length - 1] = weight.getShape().get(0);
        return y.reshape(outShape);
    }

    /**
     * A FLOAT32 {@code x} through a FLOAT16 weight ({@link WeightPrecision#FLOAT16}), FLOAT32 out: up to
     * {@link #FEW_ROWS} rows multiply in FLOAT16 (libtorch accumulates in FLOAT32; at one row ~2.5x faster than the
     * FLOAT32 product, the weight being half the bytes); longer inputs multiply a FLOAT32 copy of the weight that
     * lives only for this product.
     */
    private static NDArray halfPrecisionLinear(NDArray x, NDArray weight, NDArray bias, long rows) {
        if (weight.hasGradient()) {
            throw new IllegalStateException("a float16 weight cannot be trained; load the model in float32");
        }
        NDArray y;
        if (rows <= FEW_ROWS) {
            y = Linear.linear(x.toType(DataType.FLOAT16, false), weight).singletonOrThrow()
                    .toType(DataType.FLOAT32, false);
        } else {
            try (NDArray wide = weight.get(x.getManager(), WHOLE).toType(DataType.FLOAT32, false)) {
                y = Linear.linear(x, wide).singletonOrThrow();
            }
        }
        return bias == null ? y : y.add(bias);
    }

    /** LayerNorm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps).singletonOrThrow();
    }

    /** The activation named in an HF config: silu, gelu (exact, erf), quick_gelu, relu. */
    public static NDArray activation(String name, NDArray x) {
        return switch (name) {
            case "silu" -> x.mul(Activation.sigmoid(x));
            case "gelu" -> x.mul(x.mul(constant(x, SQRT_HALF)).erf().add(1f)).mul(constant(x, 0.5));
            case "quick_gelu" -> x.mul(Activation.sigmoid(x.mul(constant(x, 1.702))));
            case "relu" -> Activation.relu(x);
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }

    /** Softmax attention: {@code softmax(q k^T * scale + mask) v}; {@code mask} is additive and broadcastable, or null. */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, float scale) {
        int r = k.getShape().dimension();
        int[] axes = new int[r];
        for (int i = 0; i < r; i++) axes[i] = i;
        axes[r - 1] = r - 2;
        axes[r - 2] = r - 1;
        NDArray scores = q.matMul(k.transpose(axes)).mul(constant(q, scale));
        if (mask != null) scores = scores.add(mask);
        return scores.softmax(-1).matMul(v);
    }
}
