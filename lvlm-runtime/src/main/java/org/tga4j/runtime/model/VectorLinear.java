package org.tga4j.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * A FLOAT32 linear layer's product for the few input rows of a decode step, computed by a {@link RowKernel} in Java
 * on the weight's own memory, split by weight rows over {@link TorchThreads}' count of threads.
 *
 * <p>Available on JDK 22+ run with {@code --add-modules jdk.incubator.vector} (the {@code tga} launcher and the
 * tests add it); elsewhere {@link #available()} is false and {@link Ops#linear} keeps libtorch's product.
 */
final class VectorLinear {
    /** Weight rows below which a product is not split across threads: the hand-off would cost more than it saves. */
    private static final int MIN_ROWS_PER_THREAD = 64;
    private static final String KERNEL_CLASS = "org.tga4j.runtime.model.VectorRowKernel";

    private static final RowKernel KERNEL;
    private static final String UNAVAILABLE_BECAUSE;

    static {
        RowKernel kernel = null;
        String reason = null;
        if (Runtime.version().feature() < 22) {
            reason = "needs JDK 22+, running " + Runtime.version().feature();
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            reason = "needs --add-modules jdk.incubator.vector";
        } else {
            try {
                kernel = (RowKernel) Class.forName(KERNEL_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "kernel did not load: " + e;
            }
        }
        KERNEL = kernel;
        UNAVAILABLE_BECAUSE = reason;
    }

    private static volatile ForkJoinPool pool;

    private VectorLinear() {}

    static boolean available() {
        return KERNEL != null;
    }

    /** What computes a FLOAT32 decode step's products, for reports. */
    static String description() {
        return KERNEL != null ? KERNEL.description() : "libtorch (Java kernel unavailable: " + UNAVAILABLE_BECAUSE + ")";
    }

    /**
     * Whether {@link #linear} may compute this product: the kernel loaded, FLOAT32 on the CPU, and no autograd (the
     * kernel's result has no gradient).
     */
    static boolean applies(NDArray x, NDArray weight) {
        return KERNEL != null && weight.getDataType() == DataType.FLOAT32 && x.getDataType() == DataType.FLOAT32
                && !weight.hasGradient() && Device.cpu().equals(weight.getDevice())
                && Device.cpu().equals(x.getDevice()) && !JniUtils.isGradMode();
    }

    /**
     * {@code x W^T + b} for {@code x} of {@code rows} rows ({@code [..., in]}), in {@code x}'s manager. {@code weight}
     * must be contiguous, as loaded parameters are: a non-contiguous one would be copied into its own manager on every
     * call.
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias, int rows) {
        int in = Math.toIntExact(weight.getShape().get(1));
        int out = Math.toIntExact(weight.getShape().get(0));
        Shape inShape = x.getShape();
        long[] outShape = inShape.getShape().clone();
        outShape[outShape.length - 1] = out;
        NDArray y = x.getManager().create(new Shape(outShape), DataType.FLOAT32);
        ByteBuffer w = direct(weight), input = direct(x), output = direct(y);
        int threads = Math.min(TorchThreads.count(), Math.max(1, out / MIN_ROWS_PER_THREAD));
        if (threads == 1) {
            KERNEL.multiply(w, input, output, in, out, rows, 0, out);
        } else {
            ForkJoinTask<?>[] others = new ForkJoinTask<?>[threads - 1];
            for (int t = 1; t < threads; t++) {
                int from = split(out, threads, t), to = split(out, threads, t + 1);
                others[t - 1] = pool().submit(() -> KERNEL.multiply(w, input, output, in, out, rows, from, to));
            }
            KERNEL.multiply(w, input, output, in, out, rows, 0, split(out, threads, 1));
            for (ForkJoinTask<?> task : others) task.join();
        }
        return bias == null ? y : y.add(bias);
    }

    /** Where part {@code t} of {@code parts} starts. */
    private static int split(int out, int parts, int t) {
        return (int) ((long) out * t / parts);
    }

    private static ByteBuffer direct(NDArray a) {
        ByteBuffer b = ((PtNDArray) a).toByteBuffer(true);
        if (!b.isDirect()) throw new IllegalStateException("libtorch returned no direct view of " + a.getShape());
        return b;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p != null) return p;
        synchronized (VectorLinear.class) {
            if (pool == null) pool = new ForkJoinPool(Math.max(1, TorchThreads.count() - 1));
            return pool;
        }
    }
}
