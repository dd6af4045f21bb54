package org.tga4j.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A decode step's FLOAT32 linear products (a few input rows), its attention over the KV cache (one query position
 * per row) and its RMSNorms, computed by a {@link DecodeKernel} in Java on the tensors' own memory and split over
 * {@link TorchThreads}' count of threads. At a decode step both are bound by reading memory (the weights, the cache),
 * and through libtorch they cost a native call per small op, MKL's slow matrix-vector path on this project's CPU, and
 * a batched product per (row, head) for attention.
 *
 * <p>Available on JDK 22+ run with {@code --add-modules jdk.incubator.vector} (the {@code tga} launcher and the
 * tests add it); elsewhere {@link #available()} is false and the modeling code keeps libtorch's ops. Inference only:
 * neither result has a gradient, so neither applies while autograd records.
 */
final class DecodeKernels {
    /**
     * Work below which a thread gets no share: the hand-off would cost more than it saves (with TinyWorld's 128-wide
     * model, evaluation's main thread spent a fifth of its time waiting for a helper's share of tiny products).
     */
    private static final int MIN_MULTIPLY_ADDS_PER_THREAD = 1 << 18;
    private static final int MIN_HEAD_POSITIONS_PER_THREAD = 4096;
    private static final String KERNEL_CLASS = "org.tga4j.runtime.model.VectorDecodeKernel";

    private static final DecodeKernel KERNEL;
    private static final String UNAVAILABLE_BECAUSE;

    static {
        DecodeKernel kernel = null;
        String reason = null;
        if (Runtime.version().feature() < 22) {
            reason = "needs JDK 22+, running " + Runtime.version().feature();
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            reason = "needs --add-modules jdk.incubator.vector";
        } else {
            try {
                kernel = (DecodeKernel) Class.forName(KERNEL_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "kernel did not load: " + e;
            }
        }
        KERNEL = kernel;
        UNAVAILABLE_BECAUSE = reason;
    }

    private static volatile SpinningHelpers helpers;

    private DecodeKernels() {}

    static boolean available() {
        return KERNEL != null;
    }

    /** What computes FLOAT32 decode steps, for reports. */
    static String description() {
        return KERNEL != null ? KERNEL.description() : "libtorch (Java kernel unavailable: " + UNAVAILABLE_BECAUSE + ")";
    }

    /** Whether the kernel may compute with these FLOAT32 CPU arrays: loaded, and no autograd recording. */
    static boolean applies(NDArray... arrays) {
        for (NDArray a : arrays) if (a.getDataType() != DataType.FLOAT32) return false;
        return usable(arrays);
    }

    /** Whether the kernel is loaded, nothing records autograd, and {@code arrays} are CPU arrays without gradients. */
    private static boolean usable(NDArray... arrays) {
        if (KERNEL == null || JniUtils.isGradMode()) return false;
        for (NDArray a : arrays) if (a.hasGradient() || !Device.cpu().equals(a.getDevice())) return false;
        return true;
    }

    /**
     * Input rows from which the kernel multiplies by a FLOAT16 weight. One row stays with libtorch's FLOAT16
     * matrix-vector product: the kernel widens each weight tile to FLOAT32 before multiplying, which one row does not
     * amortise (134M model, batch 1: 36 tok/s against libtorch's 49; batch 8: 178 against 97 tok/s).
     */
    static final int HALF_MIN_ROWS = 2;

    /**
     * Whether the kernel may multiply {@code rows} input rows by this linear weight: a FLOAT32 one as {@link #applies},
     * or a FLOAT16 one ({@link WeightPrecision#FLOAT16}), which it widens to FLOAT32 as it reads it, from
     * {@link #HALF_MIN_ROWS} rows on.
     */
    static boolean appliesToWeight(NDArray weight, long rows) {
        if (weight.getDataType() != DataType.FLOAT16) return applies(weight);
        return rows >= HALF_MIN_ROWS && usable(weight);
    }

    /**
     * {@code x W^T + b} for {@code x} of {@code rows} rows ({@code [..., in]}), in {@code x}'s manager. {@code weight}
     * must be contiguous, as loaded parameters are: a non-contiguous one would be copied into its own manager on every
     * call.
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias, int rows) {
        long[] outShape = x.getShape().getShape().clone();
        outShape[outShape.length - 1] = weight.getShape().get(0);
        NDArray y = x.getManager().create(new Shape(outShape), DataType.FLOAT32);
        multiply(direct(x), weight, null, direct(y), rows);
        return bias == null ? y : y.add(bias);
    }

    /**
     * {@code y = x W^T + b} on buffers, for {@code x} of {@code rows} rows ({@code [rows, in]}, {@code y}:
     * {@code [rows, out]}); {@code weight} FLOAT32 or FLOAT16, {@code bias} FLOAT32 or null.
     */
    static void multiply(ByteBuffer x, NDArray weight, NDArray bias, ByteBuffer y, int rows) {
        int in = Math.toIntExact(weight.getShape().get(1));
        int out = Math.toIntExact(weight.getShape().get(0));
        ByteBuffer w = direct(weight);
        Part product = weight.getDataType() == DataType.FLOAT16
                ? (from, to) -> KERNEL.multiplyHalf(w, x, y, in, out, rows, from, to)
                : (from, to) -> KERNEL.multiply(w, x, y, in, out, rows, from, to);
        split(out, Math.max(1, MIN_MULTIPLY_ADDS_PER_THREAD / Math.max(1, in * rows)), product);
        if (bias == null) return;
        ByteBuffer b = direct(bias);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < out; i++) {
                int at = (r * out + i) * Float.BYTES;
                y.putFloat(at, y.getFloat(at) + b.getFloat(i * Float.BYTES));
            }
        }
    }

    /**
     * Attention of a decode step ({@code [B, heads, 1, d]} queries) over the first {@code length} positions of a KV
     * cache's buffers ({@code [B, kvHeads, capacity, d]}), with an additive {@code [B, 1, 1, length]} mask or none:
     * {@code [B, 1, heads * d]}, the heads side by side, in the queries' manager.
     */
    static NDArray attention(NDArray queries, NDArray keys, NDArray values, int length, NDArray mask, float scale) {
        Shape q = queries.getShape(), kv = keys.getShape();
        int batch = Math.toIntExact(q.get(0)), heads = Math.toIntExact(q.get(1)), headDim = Math.toIntExact(q.get(3));
        int kvHeads = Math.toIntExact(kv.get(1)), capacity = Math.toIntExact(kv.get(2));
        NDArray out = queries.getManager().create(new Shape(batch, 1, (long) heads * headDim), DataType.FLOAT32);
        attend(direct(queries), direct(keys), direct(values), mask == null ? null : direct(mask), direct(out), batch,
                heads, kvHeads, headDim, capacity, length, scale);
        return out;
    }

    /**
     * {@link #attention} on buffers: {@code query} {@code [rows, heads, headDim]}, {@code keys} and {@code values}
     * {@code [rows, kvHeads, capacity, headDim]}, {@code mask} {@code [rows, length]} or null, {@code output}
     * {@code [rows, heads * headDim]}.
     */
    static void attend(ByteBuffer query, ByteBuffer keys, ByteBuffer values, ByteBuffer mask, ByteBuffer output,
            int rows, int heads, int kvHeads, int headDim, int capacity, int length, float scale) {
        split(rows * heads, Math.max(1, MIN_HEAD_POSITIONS_PER_THREAD / Math.max(1, length)),
                (from, to) -> KERNEL.attend(query, keys, values, mask, output, heads, kvHeads, headDim, capacity,
                        length, scale, from, to));
    }

    /** RMSNorm over the last axis of {@code x} ({@code [..., dim]}), in {@code x}'s manager; on the calling thread. */
    static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        Shape shape = x.getShape();
        int dim = Math.toIntExact(shape.get(shape.dimension() - 1));
        NDArray y = x.getManager().create(shape, DataType.FLOAT32);
        rmsNorm(direct(x), weight, direct(y), Math.toIntExact(shape.size() / dim), eps);
        return y;
    }

    /** RMSNorm of {@code rows} rows of {@code x} ({@code [rows, dim]}) into {@code y}; on the calling thread. */
    static void rmsNorm(ByteBuffer x, NDArray weight, ByteBuffer y, int rows, float eps) {
        KERNEL.rmsNorm(x, direct(weight), y, rows, Math.toIntExact(weight.getShape().get(0)), eps);
    }

    /** SwiGLU's {@code silu(gate) * up} of {@code rows} rows of {@code [gate | up]}; on the calling thread. */
    static void swiGlu(ByteBuffer gateAndUp, ByteBuffer y, int rows, int size) {
        KERNEL.swiGlu(gateAndUp, y, rows, size);
    }

    /** {@code into += addend} over {@code count} floats; on the calling thread. */
    static void addInPlace(ByteBuffer into, ByteBuffer addend, int count) {
        KERNEL.addInPlace(into, addend, count);
    }

    private interface Part {
        void run(int from, int to);
    }

    /**
     * Runs {@code part} over {@code [0, parts)}, split over up to {@link TorchThreads#count()} threads: the calling
     * thread and {@link SpinningHelpers}; on the caller alone while another request's step holds the helpers. The
     * threads claim {@link #CHUNKS_PER_THREAD} chunks each, in turn, rather than a fixed share: on a machine shared with
     * other work one thread often runs slower, and with fixed shares the step waited for it (5% of a batch-8 step).
     */
    private static void split(int parts, int minPerThread, Part part) {
        int threads = Math.min(TorchThreads.count(), Math.max(1, parts / minPerThread));
        if (threads == 1) {
            part.run(0, parts);
            return;
        }
        int chunk = Math.max(1, parts / (threads * CHUNKS_PER_THREAD));
        AtomicInteger claimed = new AtomicInteger();
        IntConsumer claimChunks = t -> {
            for (int from; (from = claimed.getAndAdd(chunk)) < parts; ) part.run(from, Math.min(parts, from + chunk));
        };
        if (!helpers().run(threads, claimChunks)) part.run(0, parts);
    }

    private static final int CHUNKS_PER_THREAD = 8;

    /** A view of {@code a}'s memory (contiguous, as parameters and fresh results are). */
    static ByteBuffer direct(NDArray a) {
        ByteBuffer b = ((PtNDArray) a).toByteBuffer(true);
        if (!b.isDirect()) throw new IllegalStateException("libtorch returned no direct view of " + a.getShape());
        return b.order(ByteOrder.nativeOrder());
    }

    private static SpinningHelpers helpers() {
        SpinningHelpers h = helpers;
        if (h != null) return h;
        synchronized (DecodeKernels.class) {
            if (helpers == null) helpers = new SpinningHelpers(TorchThreads.count() - 1);
            return helpers;
        }
    }
}
