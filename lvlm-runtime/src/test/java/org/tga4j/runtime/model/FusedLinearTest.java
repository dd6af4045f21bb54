package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FusedLinearTest {

    /** torch's own linear, the reference for every path of {@link Ops#linear}. */
    private static float[] torchLinear(NDArray x, NDArray w, NDArray b) {
        return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow().toFloatArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 16, 17, 40})
    void linearEqualsTorchLinearForAnyRowCount(int rows) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(24, 10)), b = m.randomNormal(new Shape(24));
            // [B, T, in] with B * T = rows: one decode row per batch entry, as a batched decode step has.
            NDArray x = m.randomNormal(new Shape(rows, 1, 10));
            NDArray y = Ops.linear(x, w, b);
            assertEquals(new Shape(rows, 1, 24), y.getShape());
            assertArrayEquals(torchLinear(x, w, b), y.toFloatArray(), 1e-5f, rows + " rows");
            assertArrayEquals(torchLinear(x, w, null), Ops.linear(x, w, null).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void fusedProjectionsEqualSeparateOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] w = {m.randomNormal(new Shape(8, 6)), m.randomNormal(new Shape(4, 6)), m.randomNormal(new Shape(4, 6))};
            NDArray[] b = {m.randomNormal(new Shape(8)), m.randomNormal(new Shape(4)), m.randomNormal(new Shape(4))};
            FusedLinear fused = new FusedLinear(w, b);
            NDArray x = m.randomNormal(new Shape(2, 5, 6));
            NDList parts = fused.forward(x);
            assertEquals(3, parts.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(new Shape(2, 5, w[i].getShape().get(0)), parts.get(i).getShape());
                assertArrayEquals(torchLinear(x, w[i], b[i]), parts.get(i).toFloatArray(), 1e-5f, "part " + i);
            }
            NDArray stacked = fused.forwardStacked(x);
            assertEquals(new Shape(2, 5, 16), stacked.getShape());
            assertArrayEquals(parts.get(1).toFloatArray(), stacked.get(":, :, 8:12").toFloatArray(), 0f);
        }
    }

    @Test
    void whileTrainingGradientsReachThePartsAndUpdatesAreSeen() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray gate = m.randomNormal(new Shape(3, 4)), up = m.randomNormal(new Shape(3, 4));
            FusedLinear fused = new FusedLinear(new NDArray[] {gate, up}, null);
            NDArray x = m.randomNormal(new Shape(1, 2, 4));
            gate.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(fused.forward(x).get(0).sum());
            }
            // d(sum(x W^T))/dW[o, i] = sum over rows of x[., i], the same for every output o.
            float[] columnSums = x.sum(new int[] {0, 1}).toFloatArray();
            float[] grad = gate.getGradient().toFloatArray();
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 4; i++) assertEquals(columnSums[i], grad[o * 4 + i], 1e-5f);
            }
            // An optimizer step changes the part in place; the next forward uses the new values.
            gate.subi(gate.getGradient());
            assertArrayEquals(torchLinear(x, gate, null), fused.forward(x).get(0).toFloatArray(), 1e-5f);
        }
    }
}
