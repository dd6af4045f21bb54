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

/** The decode steps' FLOAT32 product on the Vector API kernel ({@link VectorLinear}). */
class VectorLinearTest {

    @BeforeAll
    static void kernelLoads() {
        // The tests run with --add-modules jdk.incubator.vector; on JDK 22+ the build compiles the kernel, and a build
        // that left it out would silently decode at half the speed.
        assumeTrue(Runtime.version().feature() >= 22, "the kernel needs JDK 22+");
        assertTrue(VectorLinear.available(), VectorLinear.description());
    }

    /** Shapes with and without leftover input features (not a multiple of the vector length) and weight rows. */
    @ParameterizedTest
    @CsvSource({"1, 37, 13", "2, 37, 13", "3, 64, 200", "4, 130, 9", "5, 768, 300", "8, 48, 1000", "16, 19, 70"})
    void equalsTorchLinear(int rows, int in, int out) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(out, in)), b = m.randomNormal(new Shape(out));
            NDArray x = m.randomNormal(new Shape(rows, 1, in));
            assertTrue(VectorLinear.applies(x, w));
            NDArray y = VectorLinear.linear(x, w, b, rows);
            assertEquals(new Shape(rows, 1, out), y.getShape());
            float tolerance = 1e-5f * (float) Math.sqrt(in);
            assertArrayEquals(Linear.linear(x, w, b).singletonOrThrow().toFloatArray(), y.toFloatArray(), tolerance);
            assertArrayEquals(Linear.linear(x, w).singletonOrThrow().toFloatArray(),
                    VectorLinear.linear(x, w, null, rows).toFloatArray(), tolerance);
        }
    }

    /** A batched decode step computes each sequence's row exactly as that sequence alone would. */
    @Test
    void eachRowIsIndependentOfTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(203, 771));
            for (int rows : new int[] {2, 5, 8, 13}) {
                NDArray x = m.randomNormal(new Shape(rows, 771));
                float[] batched = VectorLinear.linear(x, w, null, rows).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    float[] alone = VectorLinear.linear(x.get(r).reshape(1, 771), w, null, 1).toFloatArray();
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
            assertArrayEquals(VectorLinear.linear(x, view.duplicate(), null, 3).toFloatArray(),
                    VectorLinear.linear(x, view, null, 3).toFloatArray());
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
                assertTrue(!VectorLinear.applies(x, w), "the kernel must not run while autograd records");
                gc.backward(Ops.linear(x, w, null).sum());
            }
            // d(sum(x W^T))/dx = column sums of W
            assertArrayEquals(w.sum(new int[] {0}).toFloatArray(), x.getGradient().reshape(8).toFloatArray(), 1e-5f);
        }
    }
}
