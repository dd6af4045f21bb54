package org.tga4j.runtime.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernel} on the incubating Vector API, reading the weight where libtorch holds it (no copy). A decode
 * step multiplies a few input rows by each weight, so the product is bound by reading the weight from memory; this
 * kernel streams each weight row once for all input rows, at close to the memory bandwidth (measured 2x faster than
 * libtorch's matrix-vector product on the project's CPU, whose MKL takes a slow path there).
 *
 * <p>Each output element accumulates one vector of partial sums over the input features in order, with fused
 * multiply-adds, then adds the lanes in order and then the leftover features in order: the same arithmetic in every
 * micro-kernel, so a row's result does not depend on how many rows are multiplied with it. (Vector API's own
 * {@code reduceLanes(ADD)} may add in a different order once compiled, which would make results depend on JIT
 * warm-up.)
 *
 * <p>Compiled for JDK 22+, where {@link MemorySegment} is final; loaded reflectively by {@link VectorLinear}.
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public String description() {
        return "Java Vector API, " + LANES + " float lanes";
    }

    @Override
    public void multiply(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures,
            int rows, int from, int to) {
        Product p = new Product(MemorySegment.ofBuffer(weight), MemorySegment.ofBuffer(input),
                MemorySegment.ofBuffer(output), inFeatures, outFeatures);
        // Weight row by weight row, each multiplied with every input row while it is in the core's cache. (Streaming
        // several weight rows at once measured slower: 26-33 against 18.5 ms per batch-1 token on one thread.)
        for (int r = from; r < to; r++) {
            int b = 0;
            for (; b + 4 <= rows; b += 4) p.oneByFour(r, b);
            for (; b < rows; b++) p.oneByOne(r, b);
        }
    }

    /** One product's operands; its micro-kernels each compute a block of {@code y}. */
    private static final class Product {
        final MemorySegment w, x, y;
        final int out;
        /** Bytes of an input row covered by whole vectors; the features after them are added one by one. */
        final long vectorBytes;
        final long rowBytes;
        final float[] lanes = new float[LANES];

        Product(MemorySegment w, MemorySegment x, MemorySegment y, int in, int out) {
            this.w = w;
            this.x = x;
            this.y = y;
            this.out = out;
            this.rowBytes = (long) in * Float.BYTES;
            this.vectorBytes = (long) (in - in % LANES) * Float.BYTES;
        }

        FloatVector load(MemorySegment m, long offset) {
            return FloatVector.fromMemorySegment(SPECIES, m, offset, ORDER);
        }

        /** Weight row {@code r} times input rows {@code b..b+3}. */
        void oneByFour(int r, int b) {
            long w0 = r * rowBytes, x0 = b * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
            for (long o = 0; o < vectorBytes; o += SPECIES.vectorByteSize()) {
                FloatVector v = load(w, w0 + o);
                a0 = v.fma(load(x, x0 + o), a0);
                a1 = v.fma(load(x, x1 + o), a1);
                a2 = v.fma(load(x, x2 + o), a2);
                a3 = v.fma(load(x, x3 + o), a3);
            }
            store(r, b, a0);
            store(r, b + 1, a1);
            store(r, b + 2, a2);
            store(r, b + 3, a3);
        }

        /** Weight row {@code r} times input row {@code b}. */
        void oneByOne(int r, int b) {
            long w0 = r * rowBytes, x0 = b * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES);
            for (long o = 0; o < vectorBytes; o += SPECIES.vectorByteSize()) {
                a = load(w, w0 + o).fma(load(x, x0 + o), a);
            }
            store(r, b, a);
        }

        /** {@code y[b, r]}: the partial sums' lanes in order, then the leftover features in order. */
        void store(int r, int b, FloatVector partialSums) {
            partialSums.intoArray(lanes, 0);
            float sum = 0;
            for (float lane : lanes) sum += lane;
            long w0 = r * rowBytes, x0 = b * rowBytes;
            for (long o = vectorBytes; o < rowBytes; o += Float.BYTES) {
                sum = Math.fma(w.get(FLOAT, w0 + o), x.get(FLOAT, x0 + o), sum);
            }
            y.set(FLOAT, ((long) b * out + r) * Float.BYTES, sum);
        }
    }
}
