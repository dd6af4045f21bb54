package org.tga4j.runtime.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DecodeKernel} on the incubating Vector API, reading weights and the KV cache where libtorch holds them (no
 * copy).
 *
 * <p>Linear products stream each weight row once for all input rows, at close to the memory bandwidth (batch 1:
 * 2x faster than libtorch's matrix-vector product on the project's CPU, whose MKL takes a slow path there). Attention
 * reads each cached key and value once per query head.
 *
 * <p>Results are deterministic: a linear product's dot product accumulates two vectors of partial sums (the even and
 * the odd vector blocks of the features, in order, with fused multiply-adds: one chain alone is latency-bound, and
 * streamed rows of 2048 at 21 against 32 GB/s), adds them, then adds the lanes in order and then the leftover features
 * in order; {@code exp} is a polynomial in vector arithmetic. (Vector API's own {@code reduceLanes(ADD)} and
 * {@code EXP} may compute differently once compiled than while interpreted, which would make results depend on JIT
 * warm-up.) A linear product's row is
 * computed the same way whatever the number of rows multiplied with it.
 *
 * <p>Compiled for JDK 22+, where {@link MemorySegment} is final; loaded reflectively by {@link DecodeKernels}.
 */
final class VectorDecodeKernel implements DecodeKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final long VECTOR_BYTES = SPECIES.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** As many FLOAT16 (as shorts) and int lanes as {@link #SPECIES} has float lanes. */
    private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class,
            VectorShape.forBitSize(LANES * Short.SIZE));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());

    @Override
    public String description() {
        return "Java Vector API, " + LANES + " float lanes";
    }

    private static FloatVector load(MemorySegment m, long offset) {
        return FloatVector.fromMemorySegment(SPECIES, m, offset, ORDER);
    }

    private static FloatVector broadcast(float value) {
        return FloatVector.broadcast(SPECIES, value);
    }

    /**
     * The sum of the {@link #LANES} partial sums stored at {@code partials[at...]}, in lane order. Partial-sum vectors
     * are stored first and summed later: reading a vector's lanes right after storing it stalls the core (the wide
     * store cannot forward to narrow loads), which measured 5x slower for attention's scores.
     */
    private static float sumLanes(float[] partials, int at) {
        float sum = 0;
        for (int i = at; i < at + LANES; i++) sum += partials[i];
        return sum;
    }

    /** Bytes of a row of {@code n} floats that whole vectors cover. */
    private static long vectorBytes(int n) {
        return (long) (n - n % LANES) * Float.BYTES;
    }

    // ---- linear products ----

    @Override
    public void multiply(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures,
            int rows, int from, int to) {
        multiply(weight, false, input, output, inFeatures, outFeatures, rows, from, to);
    }

    @Override
    public void multiplyHalf(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures,
            int rows, int from, int to) {
        multiply(weight, true, input, output, inFeatures, outFeatures, rows, from, to);
    }

    private static void multiply(ByteBuffer weight, boolean half, ByteBuffer input, ByteBuffer output, int inFeatures,
            int outFeatures, int rows, int from, int to) {
        Product p = new Product(MemorySegment.ofBuffer(weight), half, MemorySegment.ofBuffer(input),
                MemorySegment.ofBuffer(output), inFeatures, outFeatures, rows);
        // Each weight row is multiplied with every input row while it is in the core's cache: groups of four input
        // rows two weight rows at a time (six loads per eight multiply-adds), the rest one weight row at a time.
        // (Streaming several weight rows for one input row measured slower: 26-33 against 18.5 ms per batch-1 token on
        // one thread; four by four and two by eight no faster than two by four at batch 8.)
        for (int tile = from; tile < to; tile += Product.TILE_ROWS) {
            int tileEnd = Math.min(to, tile + Product.TILE_ROWS);
            int groups = rows - rows % 4;
            if (half) {
                p.widen(tile, tileEnd);
            } else if (groups > 0) {
                p.touch(tile, tileEnd);
            }
            int r = tile;
            for (; r + 2 <= tileEnd; r += 2) {
                for (int b = 0; b < groups; b += 4) p.twoByFour(r, b, tile);
            }
            for (; r < tileEnd; r++) {
                for (int b = 0; b < groups; b += 4) p.oneByFour(r, b, tile);
            }
            for (r = tile; r < tileEnd; r++) {
                for (int b = groups; b < rows; b++) p.oneByOne(r, b, tile);
            }
            p.store(tile, tileEnd);
        }
    }

    /**
     * Each thread's FLOAT32 copy of a tile of FLOAT16 weight rows ({@link Product#widen}), in native memory: with a
     * heap segment among them, the micro-kernels' loads saw two kinds of segment and ran 20x slower, FLOAT32 products
     * included.
     */
    private static final ThreadLocal<MemorySegment> WIDENED = ThreadLocal.withInitial(() -> MemorySegment.NULL);

    /**
     * Each thread's partial sums of a product ({@link Product#partials}), reused: one array per call was 16 KB per
     * chunk of a batch-8 product, ~300 MB of garbage per second of decoding.
     */
    private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[0]);

    /** One product's operands; its micro-kernels each compute a block of partial sums of a tile of weight rows. */
    private static final class Product {
        static final int TILE_ROWS = 32;
        static final int CACHE_LINE_BYTES = 64;
        /** The weights as given: FLOAT32, or FLOAT16 when {@link #half}. */
        final MemorySegment weights;
        final boolean half;
        final MemorySegment x, y;
        final int in, out, rows;
        final long rowBytes, vectorBytes;
        /** Per (weight row of the tile, input row): a vector of partial sums. */
        final float[] partials;
        /**
         * The FLOAT32 weight rows the micro-kernels read, from row {@link #origin} on: {@link #weights} itself
         * (origin 0), or the current tile widened from FLOAT16 (origin: the tile's first row).
         */
        MemorySegment w;
        int origin;

        Product(MemorySegment weights, boolean half, MemorySegment x, MemorySegment y, int in, int out, int rows) {
            this.weights = weights;
            this.half = half;
            this.w = weights;
            this.in = in;
            this.x = x;
            this.y = y;
            this.out = out;
            this.rows = rows;
            this.rowBytes = (long) in * Float.BYTES;
            this.vectorBytes = vectorBytes(in);
            float[] mine = PARTIALS.get();
            if (mine.length < TILE_ROWS * rows * LANES) PARTIALS.set(mine = new float[TILE_ROWS * rows * LANES]);
            this.partials = mine;
        }

        /** Keeps {@link #touch}'s reads from being optimised away. */
        float touched;

        /**
         * Reads one float of every cache line of weight rows {@code from..to-1}: independent loads that the core keeps
         * in flight together, so that the tile arrives at the memory's bandwidth before the micro-kernels need it.
         * With four or more input rows the micro-kernels consume the weights slower than the memory delivers them, and
         * the hardware prefetcher alone left the tile's loads waiting on memory: one thread's batch-8 products from
         * memory went from 16 to 20 billion multiply-adds per second. (Touching the next tile's rows between the
         * current tile's micro-kernels measured slower: 12.5.)
         */
        void touch(int from, int to) {
            float sum = 0;
            for (long o = from * rowBytes, end = to * rowBytes; o < end; o += CACHE_LINE_BYTES) sum += w.get(FLOAT, o);
            touched += sum;
        }

        /**
         * Widens FLOAT16 weight rows {@code from..to-1} into this thread's FLOAT32 tile, which the micro-kernels then
         * read: each weight is converted once per tile, not once per input row it multiplies.
         */
        void widen(int from, int to) {
            MemorySegment tile = WIDENED.get();
            if (tile.byteSize() < (to - from) * rowBytes) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(TILE_ROWS * rowBytes));
                WIDENED.set(tile = MemorySegment.ofBuffer(buffer));
            }
            w = tile;
            origin = from;
            long halfRowBytes = (long) in * Short.BYTES;
            for (int r = from; r < to; r++) widenRow(weights, r * halfRowBytes, w, (r - from) * rowBytes, in);
        }

        int partial(int r, int b, int tile) {
            return ((r - tile) * rows + b) * LANES;
        }

        // The micro-kernels below add the even vector blocks of a row into one set of partial sums and the odd blocks
        // into another (a, c: even; e, f: odd), then add the two sets.

        /** Weight rows {@code r, r+1} times input rows {@code b..b+3}. */
        void twoByFour(int r, int b, int tile) {
            long w0 = (r - origin) * rowBytes, w1 = w0 + rowBytes;
            long x0 = b * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            FloatVector e0 = a0, e1 = a0, e2 = a0, e3 = a0, f0 = a0, f1 = a0, f2 = a0, f3 = a0;
            for (long o = 0; o < vectorBytes; o += VECTOR_BYTES) {
                FloatVector v = load(w, w0 + o), u = load(w, w1 + o);
                FloatVector y0 = load(x, x0 + o), y1 = load(x, x1 + o), y2 = load(x, x2 + o), y3 = load(x, x3 + o);
                a0 = v.fma(y0, a0);
                a1 = v.fma(y1, a1);
                a2 = v.fma(y2, a2);
                a3 = v.fma(y3, a3);
                c0 = u.fma(y0, c0);
                c1 = u.fma(y1, c1);
                c2 = u.fma(y2, c2);
                c3 = u.fma(y3, c3);
                if ((o += VECTOR_BYTES) >= vectorBytes) break;
                v = load(w, w0 + o);
                u = load(w, w1 + o);
                y0 = load(x, x0 + o);
                y1 = load(x, x1 + o);
                y2 = load(x, x2 + o);
                y3 = load(x, x3 + o);
                e0 = v.fma(y0, e0);
                e1 = v.fma(y1, e1);
                e2 = v.fma(y2, e2);
                e3 = v.fma(y3, e3);
                f0 = u.fma(y0, f0);
                f1 = u.fma(y1, f1);
                f2 = u.fma(y2, f2);
                f3 = u.fma(y3, f3);
            }
            int at = partial(r, b, tile), next = partial(r + 1, b, tile);
            a0.add(e0).intoArray(partials, at);
            a1.add(e1).intoArray(partials, at + LANES);
            a2.add(e2).intoArray(partials, at + 2 * LANES);
            a3.add(e3).intoArray(partials, at + 3 * LANES);
            c0.add(f0).intoArray(partials, next);
            c1.add(f1).intoArray(partials, next + LANES);
            c2.add(f2).intoArray(partials, next + 2 * LANES);
            c3.add(f3).intoArray(partials, next + 3 * LANES);
        }

        /** Weight row {@code r} times input rows {@code b..b+3}. */
        void oneByFour(int r, int b, int tile) {
            long w0 = (r - origin) * rowBytes;
            long x0 = b * rowBytes, x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
            for (long o = 0; o < vectorBytes; o += VECTOR_BYTES) {
                FloatVector v = load(w, w0 + o);
                a0 = v.fma(load(x, x0 + o), a0);
                a1 = v.fma(load(x, x1 + o), a1);
                a2 = v.fma(load(x, x2 + o), a2);
                a3 = v.fma(load(x, x3 + o), a3);
                if ((o += VECTOR_BYTES) >= vectorBytes) break;
                v = load(w, w0 + o);
                e0 = v.fma(load(x, x0 + o), e0);
                e1 = v.fma(load(x, x1 + o), e1);
                e2 = v.fma(load(x, x2 + o), e2);
                e3 = v.fma(load(x, x3 + o), e3);
            }
            int at = partial(r, b, tile);
            a0.add(e0).intoArray(partials, at);
            a1.add(e1).intoArray(partials, at + LANES);
            a2.add(e2).intoArray(partials, at + 2 * LANES);
            a3.add(e3).intoArray(partials, at + 3 * LANES);
        }

        /** Weight row {@code r} times input row {@code b}. */
        void oneByOne(int r, int b, int tile) {
            long w0 = (r - origin) * rowBytes, x0 = b * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES), e = a;
            for (long o = 0; o < vectorBytes; o += VECTOR_BYTES) {
                a = load(w, w0 + o).fma(load(x, x0 + o), a);
                if ((o += VECTOR_BYTES) >= vectorBytes) break;
                e = load(w, w0 + o).fma(load(x, x0 + o), e);
            }
            a.add(e).intoArray(partials, partial(r, b, tile));
        }

        /** {@code y[b, r]} for the tile's weight rows: the partial sums' lanes, then the leftover features. */
        void store(int tile, int tileEnd) {
            for (int r = tile; r < tileEnd; r++) {
                for (int b = 0; b < rows; b++) {
                    float sum = sumLanes(partials, partial(r, b, tile));
                    long w0 = (r - origin) * rowBytes, x0 = b * rowBytes;
                    for (long o = vectorBytes; o < rowBytes; o += Float.BYTES) {
                        sum = Math.fma(w.get(FLOAT, w0 + o), x.get(FLOAT, x0 + o), sum);
                    }
                    y.set(FLOAT, ((long) b * out + r) * Float.BYTES, sum);
                }
            }
        }
    }

    /**
     * Converts {@code n} FLOAT16 values from byte {@code from} of {@code source} to FLOAT32 from byte {@code to} of
     * {@code target}, exactly ({@link Float#float16ToFloat}'s results), a vector at a time: a half's magnitude bits
     * shifted into a float's place read as a float 2^-112 times the half's value (subnormals included), so one
     * multiplication rescales them; infinities and NaNs keep an all-ones exponent; the sign is put back last.
     */
    static void widenRow(MemorySegment source, long from, MemorySegment target, long to, int n) {
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            ShortVector halves = ShortVector.fromMemorySegment(HALVES, source, from + (long) i * Short.BYTES, ORDER);
            IntVector h = (IntVector) halves.convertShape(VectorOperators.S2I, INTS, 0);
            IntVector magnitude = h.and(0x7fff), shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                    .blend(shifted.or(0x7f800000), magnitude.compare(VectorOperators.GE, 0x7c00));
            bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                    .intoMemorySegment(target, to + (long) i * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            target.set(FLOAT, to + (long) i * Float.BYTES,
                    Float.float16ToFloat(source.get(HALF, from + (long) i * Short.BYTES)));
        }
    }

    // ---- RMSNorm ----

    @Override
    public void rmsNorm(ByteBuffer input, ByteBuffer weight, ByteBuffer output, int rows, int dim, float eps) {
        MemorySegment x = MemorySegment.ofBuffer(input), w = MemorySegment.ofBuffer(weight);
        MemorySegment y = MemorySegment.ofBuffer(output);
        long rowBytes = (long) dim * Float.BYTES, vectorBytes = vectorBytes(dim);
        float[] partials = new float[LANES];
        for (int r = 0; r < rows; r++) {
            long x0 = r * rowBytes;
            FloatVector a = FloatVector.zero(SPECIES), e = a;
            for (long o = 0; o < vectorBytes; o += VECTOR_BYTES) {
                FloatVector u = load(x, x0 + o);
                a = u.fma(u, a);
                if ((o += VECTOR_BYTES) >= vectorBytes) break;
                u = load(x, x0 + o);
                e = u.fma(u, e);
            }
            a.add(e).intoArray(partials, 0);
            float sum = sumLanes(partials, 0);
            for (long o = vectorBytes; o < rowBytes; o += Float.BYTES) {
                float u = x.get(FLOAT, x0 + o);
                sum = Math.fma(u, u, sum);
            }
            float scale = (float) (1 / Math.sqrt(sum / dim + eps));
            for (long o = 0; o < vectorBytes; o += VECTOR_BYTES) {
                load(x, x0 + o).mul(scale).mul(load(w, o)).intoMemorySegment(y, x0 + o, ORDER);
            }
            for (long o = vectorBytes; o < rowBytes; o += Float.BYTES) {
                y.set(FLOAT, x0 + o, x.get(FLOAT, x0 + o) * scale * w.get(FLOAT, o));
            }
        }
    }

    // ---- SwiGLU and the residual add ----

    /** A vector of {@code n} floats from byte {@code offset}, the lanes past {@code n} zero. */
    private static FloatVector load(MemorySegment m, long offset, int n) {
        if (n >= LANES) return load(m, offset);
        return FloatVector.fromMemorySegment(SPECIES, m, offset, ORDER, SPECIES.indexInRange(0, n));
    }

    /** Stores the first {@code n} lanes of {@code v} from byte {@code offset}. */
    private static void store(FloatVector v, MemorySegment m, long offset, int n) {
        if (n >= LANES) v.intoMemorySegment(m, offset, ORDER);
        else v.intoMemorySegment(m, offset, ORDER, SPECIES.indexInRange(0, n));
    }

    @Override
    public void swiGlu(ByteBuffer gateAndUp, ByteBuffer output, int rows, int size) {
        MemorySegment g = MemorySegment.ofBuffer(gateAndUp), y = MemorySegment.ofBuffer(output);
        long rowBytes = (long) size * Float.BYTES;
        FloatVector one = broadcast(1f);
        for (int r = 0; r < rows; r++) {
            long gate0 = 2 * r * rowBytes, up0 = gate0 + rowBytes, y0 = r * rowBytes;
            for (int i = 0; i < size; i += LANES) {
                long o = (long) i * Float.BYTES;
                FloatVector gate = load(g, gate0 + o, size - i);
                FloatVector sigmoid = one.div(exp(gate.neg()).add(one));
                store(gate.mul(sigmoid).mul(load(g, up0 + o, size - i)), y, y0 + o, size - i);
            }
        }
    }

    @Override
    public void addInPlace(ByteBuffer into, ByteBuffer addend, int count) {
        MemorySegment x = MemorySegment.ofBuffer(into), a = MemorySegment.ofBuffer(addend);
        for (int i = 0; i < count; i += LANES) {
            long o = (long) i * Float.BYTES;
            store(load(x, o, count - i).add(load(a, o, count - i)), x, o, count - i);
        }
    }

    // ---- attention ----

    @Override
    public void attend(ByteBuffer query, ByteBuffer keys, ByteBuffer values, ByteBuffer mask, ByteBuffer output,
            int heads, int kvHeads, int headDim, int capacity, int length, float scale, int from, int to) {
        Attention a = new Attention(MemorySegment.ofBuffer(query), MemorySegment.ofBuffer(keys),
                MemorySegment.ofBuffer(values), mask == null ? null : MemorySegment.ofBuffer(mask),
                MemorySegment.ofBuffer(output), headDim, length);
        int group = heads / kvHeads;
        for (int pair = from; pair < to; pair++) {
            int row = pair / heads, head = pair % heads;
            long cached = ((long) row * kvHeads + head / group) * capacity * a.headBytes;
            long query0 = pair * a.headBytes;
            a.scores(query0, cached, row, scale);
            a.softmax();
            a.weightedValues(cached, pair * a.headBytes);
        }
    }

    /**
     * One decode step's attention operands; its phases run per (row, head), each a method of its own (as one method,
     * C2 compiled the phases measured 5x slower than apart).
     */
    private static final class Attention {
        final MemorySegment q, k, v, mask, y;
        final int length;
        final long headBytes, headVectorBytes;
        /** Scores, then probabilities, padded to whole vectors (the padding's probability is exp(-inf) = 0). */
        final float[] p;
        final float[] partials;

        Attention(MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment mask, MemorySegment y,
                int headDim, int length) {
            this.q = q;
            this.k = k;
            this.v = v;
            this.mask = mask;
            this.y = y;
            this.length = length;
            this.headBytes = (long) headDim * Float.BYTES;
            this.headVectorBytes = vectorBytes(headDim);
            this.p = new float[(length + LANES - 1) / LANES * LANES];
            this.partials = new float[length * LANES];
        }

        /** {@code p[s] = q k_s * scale + mask[row, s]} for the cached keys from byte {@code keys0}. */
        void scores(long query0, long keys0, int row, float scale) {
            for (int s = 0; s < length; s++) {
                long k0 = keys0 + s * headBytes;
                FloatVector acc = FloatVector.zero(SPECIES);
                for (long o = 0; o < headVectorBytes; o += VECTOR_BYTES) {
                    acc = load(k, k0 + o).fma(load(q, query0 + o), acc);
                }
                acc.intoArray(partials, s * LANES);
            }
            for (int s = 0; s < length; s++) {
                long k0 = keys0 + s * headBytes;
                float dot = sumLanes(partials, s * LANES);
                for (long o = headVectorBytes; o < headBytes; o += Float.BYTES) {
                    dot = Math.fma(k.get(FLOAT, k0 + o), q.get(FLOAT, query0 + o), dot);
                }
                float score = dot * scale;
                if (mask != null) score += mask.get(FLOAT, ((long) row * length + s) * Float.BYTES);
                p[s] = score;
            }
            java.util.Arrays.fill(p, length, p.length, Float.NEGATIVE_INFINITY);
        }

        /** {@code p = exp(p - max p) / sum}. */
        void softmax() {
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < length; s++) max = Math.max(max, p[s]);
            FloatVector sums = FloatVector.zero(SPECIES);
            for (int s = 0; s < p.length; s += LANES) {
                FloatVector e = exp(FloatVector.fromArray(SPECIES, p, s).sub(max));
                e.intoArray(p, s);
                sums = sums.add(e);
            }
            sums.intoArray(partials, 0);
            float sum = sumLanes(partials, 0);
            for (int s = 0; s < p.length; s += LANES) FloatVector.fromArray(SPECIES, p, s).div(sum).intoArray(p, s);
        }

        /** {@code y = sum_s p[s] v_s} for the cached values from byte {@code values0}, written from byte {@code y0}. */
        void weightedValues(long values0, long y0) {
            for (long o = 0; o < headVectorBytes; o += VECTOR_BYTES) {
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int s = 0; s < length; s++) acc = load(v, values0 + s * headBytes + o).fma(broadcast(p[s]), acc);
                acc.intoMemorySegment(y, y0 + o, ORDER);
            }
            for (long o = headVectorBytes; o < headBytes; o += Float.BYTES) {
                float acc = 0;
                for (int s = 0; s < length; s++) acc = Math.fma(v.get(FLOAT, values0 + s * headBytes + o), p[s], acc);
                y.set(FLOAT, y0 + o, acc);
            }
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two, so that {@code n * LN2_HIGH} is exact for the n in range. */
    private static final float LN2_HIGH = 0.693359375f, LN2_LOW = -2.12194440e-4f;
    /** Adding and subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_MIN = -87.33654f, EXP_MAX = 88.37626f;

    /**
     * {@code e^x} per lane, within about 2 ulp, 0 below e^-87.3 (as floats underflow): {@code e^x = 2^n e^r} with
     * {@code n = round(x / ln 2)}, {@code |r| <= ln 2 / 2}, and Cephes' degree-6 polynomial for {@code e^r}.
     */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> underflow = x.lt(EXP_MIN);
        x = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(broadcast(-LN2_HIGH), x);
        r = n.fma(broadcast(-LN2_LOW), r);
        FloatVector poly = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        poly = poly.fma(r, broadcast(8.3334519073e-3f));
        poly = poly.fma(r, broadcast(4.1665795894e-2f));
        poly = poly.fma(r, broadcast(1.6666665459e-1f));
        poly = poly.fma(r, broadcast(5.0000001201e-1f));
        FloatVector expR = poly.fma(r.mul(r), r.add(1f));
        IntVector twoToN = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return expR.mul(twoToN.reinterpretAsFloats()).blend(0f, underflow);
    }
}
