package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsWriterTest {
    @TempDir
    Path tmp;
    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    static float[] ramp(int n, float scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (i - n / 2f) * scale;
        }
        return f;
    }

    @Test
    void f32RoundTripIsExactAndKeepsOrderShapesAndTypes() {
        Path file = tmp.resolve("rt.safetensors");
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("z.weight", manager.create(ramp(12, 0.37f), new Shape(3, 4)));
        t.put("a.bias", manager.create(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -0f}));
        t.put("ids", manager.create(new long[] {1, -2, 3}));
        t.put("mask", manager.create(new boolean[] {true, false, true}));
        t.put("scalar", manager.create(2.5f));
        SafeTensorsWriter.write(file, t, Map.of("epoch", "3"));
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(List.of("z.weight", "a.bias", "ids", "mask", "scalar"), List.copyOf(f.tensors().keySet()));
            assertEquals("3", f.metadata().get("epoch"));
            assertEquals("pt", f.metadata().get("format"));
            assertEquals(TensorDType.F32, f.tensors().get("z.weight").dtype());
            assertEquals(TensorDType.I64, f.tensors().get("ids").dtype());
            assertEquals(TensorDType.BOOL, f.tensors().get("mask").dtype());
            for (Map.Entry<String, NDArray> e : t.entrySet()) {
                NDArray back = f.load(e.getKey(), manager);
                assertEquals(e.getValue().getShape(), back.getShape(), e.getKey());
                assertArrayEquals(e.getValue().toByteArray(), back.toByteArray(), e.getKey());
            }
        }
    }

    @Test
    void bf16NarrowingRoundsToNearestEvenAndReadsBackExactly() {
        float tie = 1f + (float) Math.pow(2, -8);         // halfway between 1 and 1+2^-7 → even (1)
        float tieUp = 1f + 3 * (float) Math.pow(2, -8);   // halfway between 1+2^-7 and 1+2^-6 → even (1+2^-6)
        float above = 1f + (float) Math.pow(2, -8) + (float) Math.pow(2, -20);
        float[] in = {1.5f, -3.25f, tie, tieUp, above, Float.POSITIVE_INFINITY, Float.NaN, 1e-40f, 3.4e38f};
        float[] want = {1.5f, -3.25f, 1f, 1f + (float) Math.pow(2, -6), 1f + (float) Math.pow(2, -7),
                Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(Float.floatToIntBits(1e-40f) & 0xFFFF0000),
                Float.POSITIVE_INFINITY};
        // 1e-40 is subnormal: its bits 0x000116c2 round to 0x0001 in bf16 → 0x00010000
        want[7] = Float.intBitsToFloat(0x00010000);
        Path file = tmp.resolve("bf16.safetensors");
        SafeTensorsWriter.writeHost(file, Map.of("x", new HostTensor(in, new long[] {in.length})), Map.of(),
                TensorDType.BF16);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(TensorDType.BF16, f.tensors().get("x").dtype());
            assertEquals(2L * in.length, f.tensors().get("x").byteLength());
            float[] back = f.load("x", manager).toFloatArray();
            for (int i = 0; i < in.length; i++) {
                if (Float.isNaN(want[i])) {
                    assertTrue(Float.isNaN(back[i]));
                } else {
                    assertEquals(want[i], back[i], 0f, "element " + i);
                }
            }
        }
    }

    @Test
    void f16NarrowingRoundsToNearestEvenOverflowsToInfinity() {
        float tie = 1f + (float) Math.pow(2, -11);    // halfway between 1 and 1+2^-10 → 1
        float[] in = {0.5f, -2f, tie, 65504f, 65520f, (float) Math.pow(2, -24), Float.NEGATIVE_INFINITY};
        float[] want = {0.5f, -2f, 1f, 65504f, Float.POSITIVE_INFINITY, (float) Math.pow(2, -24),
                Float.NEGATIVE_INFINITY};
        Path file = tmp.resolve("f16.safetensors");
        try (NDManager m = manager.newSubManager()) {
            SafeTensorsWriter.write(file, Map.of("x", m.create(in)), Map.of(), TensorDType.F16);
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(TensorDType.F16, f.tensors().get("x").dtype());
            assertArrayEquals(want, f.loadFloats("x"));
            assertArrayEquals(want, f.load("x", manager).toFloatArray());
        }
    }

    @Test
    void float16NdArraysAreWrittenAndWidenedBack() {
        Path file = tmp.resolve("h.safetensors");
        try (NDManager m = manager.newSubManager()) {
            NDArray h = m.create(new float[] {0.25f, -8f, 1024f}).toType(DataType.FLOAT16, false);
            SafeTensorsWriter.write(file, Map.of("h", h), Map.of(), TensorDType.F16);
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertArrayEquals(new float[] {0.25f, -8f, 1024f}, f.loadFloats("h"));
        }
    }

    @Test
    void nonContiguousViewsAreWrittenInLogicalOrder() {
        Path file = tmp.resolve("t.safetensors");
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            SafeTensorsWriter.write(file, Map.of("t", a.transpose()), Map.of());
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertArrayEquals(new long[] {3, 2}, f.info("t").shape());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, f.loadFloats("t"));
        }
    }

    @Test
    void failedWriteLeavesThePreviousFileIntactAndNoTempFiles() throws IOException {
        Path file = tmp.resolve("keep.safetensors");
        SafeTensorsWriter.writeHost(file, Map.of("w", new HostTensor(new float[] {1, 2}, new long[] {2})), Map.of());
        byte[] good = Files.readAllBytes(file);
        Map<String, NDArray> bad = new LinkedHashMap<>();
        NDManager m = manager.newSubManager();
        bad.put("w", m.create(new float[] {5, 6}));
        bad.put("v", m.create(new float[] {7, 8}));
        m.close(); // arrays are gone: encoding fails half way through the write
        assertThrows(RuntimeException.class, () -> SafeTensorsWriter.write(file, bad, Map.of()));
        assertArrayEquals(good, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void unsupportedFloatStorageTypeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensorsWriter.writeHost(tmp.resolve("x.safetensors"),
                Map.of("w", new HostTensor(new float[] {1}, new long[] {1})), Map.of(), TensorDType.I8));
    }

    @Test
    void hostTensorShapeMustMatchItsData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HostTensor(new float[5], new long[] {2, 3}));
        assertTrue(e.getMessage().contains("[2, 3]"));
    }
}
