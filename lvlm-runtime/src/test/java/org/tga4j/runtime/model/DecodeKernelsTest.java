package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A decode step's FLOAT32 products and attention on the Java kernel ({@link DecodeKernels}) against libtorch. */
class DecodeKernelsTest {

    @BeforeAll
    static void kernelLoads() {
        // The tests run with --add-modules jdk.incubator.vector; on JDK 22+ the build compiles the kernel, and a build
        // that left it out would silently decode at half the speed.
        assumeTrue(Runtime.version().feature() >= 22, "the kernel needs JDK 22+");
        assertTrue(DecodeKernels.available(), DecodeKernels.description());
    }

    /** Shapes with and without leftover input features (not a multiple of the vector length) and weight rows. */
    @ParameterizedTest
    @CsvSource({"1, 37, 13", "2, 37, 13", "3, 64, 200", "4, 130, 9", "5, 768, 300", "8, 48, 1000", "16, 19, 70"})
    void equalsTorchLinear(int rows, int in, int out) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(out, in)), b = m.randomNormal(new Shape(out));
            NDArray x = m.randomNormal(new Shape(rows, 1, in));
            assertTrue(DecodeKernels.applies(x, w));
            NDArray y = DecodeKernels.linear(x, w, b, rows);
            assertEquals(new Shape(rows, 1, out), y.getShape());
            float tolerance = 1e-5f * (float) Math.sqrt(in);
            assertArrayEquals(Linear.linear(x, w, b).singletonOrThrow().toFloatArray(), y.toFloatArray(), tolerance);
            assertArrayEquals(Linear.linear(x, w).singletonOrThrow().toFloatArray(),
                    DecodeKernels.linear(x, w, null, rows).toFloatArray(), tolerance);
        }
    }

    /**
     * A FLOAT16 weight ({@link WeightPrecision#FLOAT16}) multiplies as its exact FLOAT32 widening would, bit for bit:
     * random weights plus the values a conversion gets wrong first (subnormals, the largest half, signed zeros,
     * infinities, NaN), with and without leftover features and weight rows.
     */
    @ParameterizedTest
    @CsvSource({"1, 37, 13", "3, 64, 200", "4, 130, 9", "8, 768, 70", "16, 19, 45"})
    void float16WeightsMultiplyAsTheirFloat32Widening(int rows, int in, int out) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = m.randomNormal(new Shape(out, in)).toFloatArray();
            float[] special = {0x1p-24f, -0x1p-24f, 0x1.ff8p-15f, 6.1035156e-5f, 65504f, -65504f, 0f, -0f,
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
            System.arraycopy(special, 0, values, 0, Math.min(special.length, values.length));
            NDArray half = m.create(values, new Shape(out, in)).toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            NDArray widened = half.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray x = m.randomNormal(new Shape(rows, in)), b = m.randomNormal(new Shape(out));
            assertTrue(DecodeKernels.appliesToWeight(half, rows) == rows >= DecodeKernels.HALF_MIN_ROWS);
            assertArrayEquals(DecodeKernels.linear(x, widened, b, rows).toFloatArray(),
                    DecodeKernels.linear(x, half, b, rows).toFloatArray(), 0f);
        }
    }

    /** A batched decode step computes each sequence's row exactly as that sequence alone would. */
    @Test
    void eachRowIsIndependentOfTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(203, 771));
            for (int rows : new int[] {2, 5, 8, 13}) {
                NDArray x = m.randomNormal(new Shape(rows, 771));
                float[] batched = DecodeKernels.linear(x, w, null, rows).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    float[] alone = DecodeKernels.linear(x.get(r).reshape(1, 771), w, null, 1).toFloatArray();
                    assertArrayEquals(alone, Arrays.copyOfRange(batched, r * 203, (r + 1) * 203),
                            "row " + r + " of " + rows);
                }
            }
        }
    }

    /** Fused projections' parts are views of rows of a stacked weight: the kernel reads from the view's first row. */
    @Test
    void readsAViewOfAWeightsRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray stacked = m.randomNormal(new Shape(96, 40));
            NDArray view = stacked.get(new NDIndex("32:80"));
            NDArray x = m.randomNormal(new Shape(3, 40));
            assertArrayEquals(DecodeKernels.linear(x, view.duplicate(), null, 3).toFloatArray(),
                    DecodeKernels.linear(x, view, null, 3).toFloatArray());
        }
    }

    /**
     * Attention over a preallocated cache's filled positions, against {@link Ops#attention} on the views: with and
     * without grouped query heads, a head size with leftover features (20 = 16 + 4 with 16 lanes), a mask blocking
     * padding, and scores large enough that most probabilities underflow.
     */
    @ParameterizedTest
    @CsvSource({"1, 4, 4, 64, 9, 1.0, false", "3, 6, 2, 20, 37, 1.0, true", "2, 4, 1, 16, 5, 1.0, true",
        "2, 8, 2, 64, 150, 30.0, true"})
    void attentionEqualsTorch(int batch, int heads, int kvHeads, int headDim, int length, float sharpness,
            boolean masked) {
        try (NDManager m = NDManager.newBaseManager()) {
            int capacity = length + 7;
            NDArray keys = m.randomNormal(new Shape(batch, kvHeads, capacity, headDim));
            NDArray values = m.randomNormal(new Shape(batch, kvHeads, capacity, headDim));
            NDArray q = m.randomNormal(new Shape(batch, heads, 1, headDim)).mul(sharpness);
            NDArray mask = null;
            if (masked) { // row b's first b positions are padding
                boolean[][] valid = new boolean[batch][length];
                for (int b = 0; b < batch; b++) for (int s = 0; s < length; s++) valid[b][s] = s >= b;
                mask = AttentionMask.causal(m, valid, 1);
            }
            float scale = (float) (1 / Math.sqrt(headDim));
            assertTrue(DecodeKernels.applies(q, keys, values));
            NDArray out = DecodeKernels.attention(q, keys, values, length, mask, scale);
            assertEquals(new Shape(batch, 1, (long) heads * headDim), out.getShape());

            NDIndex filled = new NDIndex(":, :, :" + length);
            int groups = heads / kvHeads;
            NDArray expected = Ops.attention(q.reshape(batch, kvHeads, groups, 1, headDim),
                    keys.get(filled).expandDims(2), values.get(filled).expandDims(2),
                    mask == null ? null : mask.expandDims(1), scale);
            assertArrayEquals(expected.toFloatArray(), out.toFloatArray(), 2e-5f * sharpness);
        }
    }

    /** RMSNorm of a decode step's rows against the same formula in libtorch ops. */
    @ParameterizedTest
    @CsvSource({"1, 768", "3, 37", "16, 128"})
    void rmsNormEqualsTorch(int rows, int dim) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(rows, 1, dim)).mul(3f), w = m.randomNormal(new Shape(dim));
            NDArray expected = x.mul(x.square().mean(new int[] {-1}, true).add(1e-5f).pow(-0.5f)).mul(w);
            NDArray y = DecodeKernels.rmsNorm(x, w, 1e-5f);
            assertEquals(x.getShape(), y.getShape());
            assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-4f);
        }
    }

    /** Under autograd {@link Ops#linear} keeps torch's product, so that gradients reach the input. */
    @Test
    void trainingKeepsTorchsProduct() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(12, 8));
            NDArray x = m.randomNormal(new Shape(1, 8));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertTrue(!DecodeKernels.applies(x, w), "the kernel must not run while autograd records");
                gc.backward(Ops.linear(x, w, null).sum());
            }
            // d(sum(x W^T))/dx = column sums of W
            assertArrayEquals(w.sum(new int[] {0}).toFloatArray(), x.getGradient().reshape(8).toFloatArray(), 1e-5f);
        }
    }
}
