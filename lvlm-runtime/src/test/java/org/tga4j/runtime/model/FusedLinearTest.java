package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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

    /** Three projections q [8, 6], k [4, 6], v [4, 6] with biases, fused from random parameters. */
    private static final String[] QKV = {"q.weight", "k.weight", "v.weight"};
    private static final String[] QKV_BIAS = {"q.bias", "k.bias", "v.bias"};
    private static final long[] QKV_OUT = {8, 4, 4};

    /** A source whose biases are random too (the random initialiser's are zeros). */
    private static ParameterSource randomSource(NDManager m) {
        RandomParameterSource weights = new RandomParameterSource(m, 7, 0.5);
        return new ParameterSource() {
            @Override
            public NDArray get(String name, long... shape) {
                return name.endsWith(".bias") ? m.randomNormal(new Shape(shape)) : weights.get(name, shape);
            }

            @Override
            public boolean has(String name) {
                return true;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
    }

    @Test
    void fusedProjectionsEqualSeparateOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters p = new Parameters(randomSource(m));
            FusedLinear fused = new FusedLinear(p, 6, QKV, QKV_OUT, QKV_BIAS);
            NDArray x = m.randomNormal(new Shape(2, 5, 6));
            NDList parts = fused.forward(x);
            assertEquals(3, parts.size());
            for (int i = 0; i < 3; i++) {
                NDArray w = p.all().get(QKV[i]), b = p.all().get(QKV_BIAS[i]);
                assertEquals(new Shape(QKV_OUT[i], 6), w.getShape());
                assertEquals(new Shape(2, 5, QKV_OUT[i]), parts.get(i).getShape());
                assertArrayEquals(torchLinear(x, w, b), parts.get(i).toFloatArray(), 1e-5f, "part " + i);
            }
            NDArray stacked = fused.forwardStacked(x);
            assertEquals(new Shape(2, 5, 16), stacked.getShape());
            assertArrayEquals(parts.get(1).toFloatArray(), stacked.get(":, :, 8:12").toFloatArray(), 0f);
        }
    }

    @Test
    void thePartsTheModelKeepsAreViewsOfTheOneStackedCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters p = new Parameters(randomSource(m));
            FusedLinear fused = new FusedLinear(p, 6, QKV, QKV_OUT, QKV_BIAS);
            NDArray x = m.randomNormal(new Shape(1, 1, 6));
            float[] before = fused.forwardStacked(x).toFloatArray();
            // Writing into the recorded part k (outputs 8..11) changes the fused product: they share storage.
            p.all().get("k.weight").muli(0f);
            p.all().get("k.bias").muli(0f);
            float[] after = fused.forwardStacked(x).toFloatArray();
            for (int o = 0; o < 16; o++) {
                if (o >= 8 && o < 12) assertEquals(0f, after[o], 0f, "k output " + o);
                else assertEquals(before[o], after[o], 0f, "output " + o);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 16, 17, 40})
    void float16WeightsGiveTheFloat32ProductOfTheRoundedWeights(int rows) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w32 = m.randomNormal(new Shape(24, 64)).mul(0.1f), b = m.randomNormal(new Shape(24));
            NDArray w16 = w32.toType(DataType.FLOAT16, false);
            assertEquals(DataType.FLOAT16, w16.getDataType());
            NDArray x = m.randomNormal(new Shape(rows, 1, 64));
            NDArray y = Ops.linear(x, w16, b);
            assertEquals(DataType.FLOAT32, y.getDataType());
            assertEquals(new Shape(rows, 1, 24), y.getShape());
            // Short inputs also round x (and the result) to float16: |y| ~ 3 here, float16's step there is 2e-3.
            float tolerance = rows <= Ops.FEW_ROWS ? 1e-2f : 1e-4f;
            assertArrayEquals(torchLinear(x, w16.toType(DataType.FLOAT32, false), b), y.toFloatArray(), tolerance);
        }
    }

    @Test
    void float16RefusesValuesItCannotHoldAndTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterSource big = new RandomParameterSource(m, 1, 1e5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Parameters(big, WeightPrecision.FLOAT16).linearWeight("layers.0.mlp.down_proj.weight", 4, 4));
            assertTrue(e.getMessage().contains("layers.0.mlp.down_proj.weight") && e.getMessage().contains("random"),
                    e.getMessage());
            NDArray w16 = new Parameters(randomSource(m), WeightPrecision.FLOAT16).linearWeight("w", 3, 2);
            assertEquals(DataType.FLOAT16, w16.getDataType());
            w16.setRequiresGradient(true);
            assertThrows(IllegalStateException.class, () -> Ops.linear(m.randomNormal(new Shape(1, 2)), w16, null));
        }
    }

    @Test
    void whileTrainingGradientsReachThePartsAndUpdatesAreSeen() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameters p = new Parameters(randomSource(m));
            FusedLinear fused = new FusedLinear(p, 4, new String[] {"gate", "up"}, new long[] {3, 3}, null);
            NDArray gate = p.all().get("gate");
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
            // An optimizer step changes the part in place; the next forward uses the new values, fused or not.
            gate.subi(gate.getGradient());
            assertArrayEquals(torchLinear(x, gate, null), fused.forward(x).get(0).toFloatArray(), 1e-5f);
            gate.setRequiresGradient(false);
            assertArrayEquals(torchLinear(x, gate, null), fused.forward(x).get(0).toFloatArray(), 1e-5f);
        }
    }
}
