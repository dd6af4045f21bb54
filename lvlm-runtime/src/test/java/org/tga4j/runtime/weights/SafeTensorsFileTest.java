package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader against files assembled byte by byte here (independently of {@link SafeTensorsWriter}). */
class SafeTensorsFileTest {
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

    /** Builds a safetensors file from a JSON header and a data section, exactly as the format specifies. */
    static Path handAssembled(Path file, String headerJson, byte[] data) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(len.array());
        out.write(h);
        out.write(data);
        Files.write(file, out.toByteArray());
        return file;
    }

    static byte[] le(int bytes, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytes * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytes) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    // bf16 patterns: 1, -2, +inf, -inf, quiet NaN, smallest subnormal, largest subnormal, -0, max finite
    static final long[] BF16 = {0x3F80, 0xC000, 0x7F80, 0xFF80, 0x7FC1, 0x0001, 0x007F, 0x8000, 0x7F7F};
    // f16 patterns: 1, -2, +inf, -inf, NaN, smallest subnormal, largest subnormal, -0, 65504
    static final long[] F16 = {0x3C00, 0xC000, 0x7C00, 0xFC00, 0x7E00, 0x0001, 0x03FF, 0x8000, 0x7BFF};
    static final float[] F16_EXPECTED = {1f, -2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            (float) Math.pow(2, -24), (float) (1023 * Math.pow(2, -24)), -0f, 65504f};

    private Path mixedFile() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand made\"},"
                + "\"w.f32\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"w.bf16\":{\"dtype\":\"BF16\",\"shape\":[9],\"data_offsets\":[24,42]},"
                + "\"w.f16\":{\"dtype\":\"F16\",\"shape\":[9],\"data_offsets\":[42,60]},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[60,76]},"
                + "\"pos\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[76,80]}}";
        long[] f32 = new long[6];
        for (int i = 0; i < 6; i++) {
            f32[i] = Float.floatToIntBits(i * 0.5f - 1f);
        }
        byte[] data = concat(le(4, f32), le(2, BF16), le(2, F16), le(8, 7L, -3L), le(4, 42));
        return handAssembled(tmp.resolve("mixed.safetensors"), header, data);
    }

    @Test
    void readsHandAssembledFileWithEveryDtypeAndMetadata() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            assertEquals(List.of("w.f32", "w.bf16", "w.f16", "ids", "pos"), List.copyOf(f.tensors().keySet()));
            assertEquals(Map.of("format", "pt", "note", "hand made"), f.metadata());
            TensorInfo bf = f.tensors().get("w.bf16");
            assertEquals(TensorDType.BF16, bf.dtype());
            assertEquals(24, bf.dataBegin());
            assertEquals(9, bf.numel());

            NDArray a = f.load("w.f32", manager);
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertEquals(new Shape(2, 3), a.getShape());
            assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, a.toFloatArray());

            NDArray ids = f.load("ids", manager);
            assertEquals(DataType.INT64, ids.getDataType());
            assertArrayEquals(new long[] {7, -3}, ids.toLongArray());
            NDArray pos = f.load("pos", manager);
            assertEquals(DataType.INT32, pos.getDataType());
            assertEquals(new Shape(), pos.getShape());
            assertEquals(42, pos.getInt());
        }
    }

    @Test
    void bf16WidensBitExactlyIncludingNanInfinityAndSubnormals() throws IOException {
        int[] expected = new int[BF16.length];
        for (int i = 0; i < BF16.length; i++) {
            expected[i] = (int) (BF16[i] << 16);
        }
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            NDArray a = f.load("w.bf16", manager);
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(expected, bits(a.toFloatArray()));
            assertArrayEquals(expected, bits(f.loadFloats("w.bf16")));
        }
        float[] v = new float[BF16.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(expected[i]);
        }
        assertEquals(1f, v[0]);
        assertEquals(Float.MIN_VALUE * 65536, v[5]); // 2^-133, the smallest bf16 subnormal
        assertTrue(Float.isNaN(v[4]));
        assertEquals(Float.NEGATIVE_INFINITY, v[3]);
    }

    @Test
    void f16WidensExactlyIncludingNanInfinityAndSubnormals() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            float[] got = f.load("w.f16", manager).toFloatArray();
            for (int i = 0; i < got.length; i++) {
                if (Float.isNaN(F16_EXPECTED[i])) {
                    assertTrue(Float.isNaN(got[i]));
                } else {
                    assertEquals(Float.floatToRawIntBits(F16_EXPECTED[i]), Float.floatToRawIntBits(got[i]),
                            "element " + i);
                }
            }
            assertArrayEquals(bits(got), bits(f.loadFloats("w.f16")));
        }
    }

    @Test
    void float16LoadingKeepsF16AsStoredAndRoundsF32AsTorchDoes() throws IOException {
        // Values that round (1/3), fall to float16 subnormals (1e-6) or to zero (1e-9), and the edge of its range.
        float[] values = {1f / 3, -0.1f, 1e-6f, 1e-9f, 65504f, 65519f, -65519f, 2.5f};
        long[] f32 = new long[values.length];
        for (int i = 0; i < values.length; i++) f32[i] = Float.floatToIntBits(values[i]);
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]},"
                + "\"big\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[32,40]}}";
        Path file = handAssembled(tmp.resolve("half.safetensors"), header,
                concat(le(4, f32), le(4, Float.floatToIntBits(1f), Float.floatToIntBits(-70000f))));
        try (SafeTensorsFile f = SafeTensorsFile.open(file); SafeTensorsFile mixed = SafeTensorsFile.open(mixedFile());
                NDManager m = manager.newSubManager()) {
            NDArray half = f.loadHalf("x", m);
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertEquals(new Shape(4, 2), half.getShape());
            float[] torch = f.load("x", m).toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
            assertArrayEquals(bits(torch), bits(half.toType(DataType.FLOAT32, false).toFloatArray()));
            // In row blocks (a 4-byte limit: one row of two float16 values per block) the same values.
            NDArray blocks = f.load("x", m, 4, DataType.FLOAT16);
            assertArrayEquals(bits(torch), bits(blocks.toType(DataType.FLOAT32, false).toFloatArray()));
            // F16 data as stored, bit for bit (NaN, infinities, subnormals included).
            float[] f16 = mixed.loadHalf("w.f16", m).toType(DataType.FLOAT32, false).toFloatArray();
            assertArrayEquals(bits(mixed.loadFloats("w.f16")), bits(f16));
            // A finite value beyond ±65504 is refused by name, in F32 and in BF16 (bf16's largest finite, 3.4e38).
            assertMentions(assertThrows(CheckpointException.class, () -> f.loadHalf("big", m)),
                    "'big'", "-70000", "float16");
            assertMentions(assertThrows(CheckpointException.class, () -> mixed.loadHalf("w.bf16", m)),
                    "'w.bf16'", "float16");
            assertMentions(assertThrows(CheckpointException.class, () -> mixed.loadHalf("ids", m)), "'ids'", "I64");
        }
    }

    /** Bytes of live direct buffers, after giving the collector the chance to free unreachable ones. */
    private static long directBytesAfterGc(long ceiling) throws InterruptedException {
        var pool = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long used = pool.getMemoryUsed();
        for (int i = 0; i < 100 && used > ceiling; i++) {
            System.gc();
            Thread.sleep(50);
            used = pool.getMemoryUsed();
        }
        return used;
    }

    @Test
    void convertedTensorsDoNotHoldJavaDirectMemory() throws Exception {
        // Live direct buffers count against -XX:MaxDirectMemorySize: a widened 7B F16 checkpoint once needed ~10 GB.
        int n = 1 << 20; // 2 MB of F16, 4 MB once widened
        long[] half = new long[n];
        for (int i = 0; i < n; i++) half[i] = HalfFloats.floatToF16((i % 1000) / 100f);
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[1024,1024],\"data_offsets\":[0," + 2 * n + "]}}";
        Path file = handAssembled(tmp.resolve("widen.safetensors"), header, le(2, half));
        long before = directBytesAfterGc(0);
        List<NDArray> held = new java.util.ArrayList<>();
        try (SafeTensorsFile f = SafeTensorsFile.open(file); NDManager m = manager.newSubManager()) {
            for (int i = 0; i < 4; i++) held.add(f.load("h", m));
            long after = directBytesAfterGc(before + n);
            assertTrue(after - before < n, "4 widened copies (16 MB) held; direct memory grew by " + (after - before));
            assertEquals(DataType.FLOAT32, held.get(3).getDataType());
            assertEquals(5.55f, held.get(3).get(1, 531).getFloat(), 1e-2f); // element 1555 = (1555 % 1000) / 100
        }
    }

    @Test
    void inPlaceUpdatesOfLoadedF32WeightsNeverReachTheFile() throws IOException {
        Path file = mixedFile();
        byte[] before = Files.readAllBytes(file);
        try (SafeTensorsFile f = SafeTensorsFile.open(file); NDManager m = manager.newSubManager()) {
            NDArray a = f.load("w.f32", m);
            a.addi(100f);
            assertEquals(99f, a.getFloat(0, 0));
            assertEquals(-1f, f.load("w.f32", m).getFloat(0, 0), "a fresh load sees the file's values");
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void copyPathForFilesThatCannotBeMappedPrivatelyGivesTheSameValues() throws IOException {
        Path file = mixedFile();
        byte[] before = Files.readAllBytes(file);
        try (SafeTensorsFile mapped = SafeTensorsFile.open(file);
             SafeTensorsFile copied = SafeTensorsFile.open(file, false);
             NDManager m = manager.newSubManager()) {
            for (String name : List.of("w.f32", "ids", "pos")) {
                NDArray a = mapped.load(name, m);
                NDArray b = copied.load(name, m);
                assertEquals(a.getDataType(), b.getDataType());
                assertTrue(a.contentEquals(b), name);
            }
            copied.load("w.f32", m).muli(3f);
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void zeroElementTensorLoads() throws IOException {
        Path file = handAssembled(tmp.resolve("empty.safetensors"),
                "{\"e\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}}", new byte[0]);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(new Shape(0, 4), f.load("e", manager).getShape());
        }
    }

    @Test
    void tensorsLargerThanOneBufferAreAssembledFromRowBlocks() throws IOException {
        Path file = mixedFile();
        try (SafeTensorsFile f = SafeTensorsFile.open(file); NDManager m = manager.newSubManager()) {
            // w.f32 is 2x3 floats (24 bytes): a 12-byte limit forces one row per block
            NDArray blocks = f.load("w.f32", m, 12);
            assertEquals(new Shape(2, 3), blocks.getShape());
            assertSame(m, blocks.getManager());
            assertArrayEquals(f.loadFloats("w.f32"), blocks.toFloatArray());
            NDArray bf = f.load("w.bf16", m, 16); // 9 bf16 widened = 36 bytes → blocks of 4 elements
            assertArrayEquals(bits(f.loadFloats("w.bf16")), bits(bf.toFloatArray()));
            CheckpointException e = assertThrows(CheckpointException.class, () -> f.load("w.f32", m, 8));
            assertMentions(e, "'w.f32'", "rows larger than 8");
        }
    }

    @Test
    void concurrentLoadsFromOneFileAgree() throws Exception {
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            float[] want = f.loadFloats("w.bf16");
            List<java.util.concurrent.Callable<float[]>> jobs = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                jobs.add(() -> {
                    try (NDManager m = manager.newSubManager()) {
                        return f.load("w.bf16", m).toFloatArray();
                    }
                });
            }
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (var fut : pool.invokeAll(jobs)) {
                    assertArrayEquals(bits(want), bits(fut.get()));
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    // ---------------------------------------------------------------- bad files

    private static CheckpointException failsToOpen(Path file) {
        return assertThrows(CheckpointException.class, () -> SafeTensorsFile.open(file).close());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRejected() throws IOException {
        Path f = Files.write(tmp.resolve("short.safetensors"), new byte[] {1, 2, 3});
        assertMentions(failsToOpen(f), f.toString(), "truncated", "at least 8");
    }

    @Test
    void zeroByteFileIsRejected() throws IOException {
        Path f = Files.write(tmp.resolve("zero.safetensors"), new byte[0]);
        assertMentions(failsToOpen(f), f.toString(), "0 bytes");
    }

    @Test
    void headerLengthLargerThanTheFileIsRejected() throws IOException {
        byte[] b = concat(le(8, 1_000_000L), "{}".getBytes(StandardCharsets.UTF_8));
        Path f = Files.write(tmp.resolve("long-header.safetensors"), b);
        assertMentions(failsToOpen(f), f.toString(), "1000000", "only 2 bytes follow");
    }

    @Test
    void truncatedDataSectionIsRejected() throws IOException {
        Path full = mixedFile();
        byte[] all = Files.readAllBytes(full);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(all, all.length - 10));
        assertMentions(failsToOpen(cut), cut.toString(), "ids", "run past the end");
    }

    @Test
    void garbageJsonIsRejected() throws IOException {
        Path f = handAssembled(tmp.resolve("garbage.safetensors"), "{\"a\": [1, 2,, oops", new byte[16]);
        assertMentions(failsToOpen(f), f.toString(), "not valid JSON");
    }

    @Test
    void nonSafetensorsFileIsRejectedNotAborted() throws IOException {
        Path f = Files.writeString(tmp.resolve("readme.safetensors"), "this is a text file, not tensors at all");
        assertMentions(failsToOpen(f), f.toString(), "header");
    }

    @Test
    void offsetsOutOfRangeAreRejected() throws IOException {
        Path f = handAssembled(tmp.resolve("range.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[16]);
        assertMentions(failsToOpen(f), f.toString(), "'w'", "[8, 24]", "16 bytes");
    }

    @Test
    void overlappingOffsetsAreRejected() throws IOException {
        Path f = handAssembled(tmp.resolve("overlap.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        assertMentions(failsToOpen(f), f.toString(), "'b'", "overlap", "'a'");
    }

    @Test
    void offsetsNotMatchingDtypeTimesShapeAreRejected() throws IOException {
        Path f = handAssembled(tmp.resolve("size.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", new byte[24]);
        assertMentions(failsToOpen(f), f.toString(), "'w'", "BF16", "[2, 3]", "needs 12");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        Path f = handAssembled(tmp.resolve("dtype.safetensors"),
                "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertMentions(failsToOpen(f), f.toString(), "'w'", "Q4_K", "supported", "BF16");
    }

    @Test
    void missingFileIsRejected() {
        Path f = tmp.resolve("nope.safetensors");
        assertMentions(failsToOpen(f), f.toString(), "does not exist");
    }

    @Test
    void missingTensorNamesTheFileAndCloseNames() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> f.load("model.w.f32", manager));
            assertMentions(e, "'model.w.f32'", f.file().toString(), "close names: w.f32");
        }
    }

    @Test
    void loadFloatsRefusesIntegerTensors() throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(mixedFile())) {
            assertMentions(assertThrows(CheckpointException.class, () -> f.loadFloats("ids")), "'ids'", "I64");
        }
    }

    @Test
    void metadataValuesMustBeStrings() throws IOException {
        Path f = handAssembled(tmp.resolve("meta.safetensors"), "{\"__metadata__\":{\"step\":5}}", new byte[0]);
        assertMentions(failsToOpen(f), f.toString(), "step", "string");
    }

    @Test
    void writerOutputIsReadableByTheHandParserLayout() throws IOException {
        // The writer's header: 8-byte LE length, JSON padded with spaces to a multiple of 8, data right after.
        Path f = tmp.resolve("w.safetensors");
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("b", new HostTensor(new float[] {1, 2, 3}, new long[] {3}));
        t.put("a", new HostTensor(new float[] {4}, new long[] {}));
        SafeTensorsWriter.writeHost(f, t, Map.of("k", "v"));
        byte[] all = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        assertEquals(8 + n + 16, all.length);
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.indexOf("\"b\"") < header.indexOf("\"a\""), "insertion order kept: " + header);
        assertTrue(header.contains("\"data_offsets\":[0,12]"), header);
        assertTrue(header.contains("\"data_offsets\":[12,16]"), header);
        assertEquals(4f, ByteBuffer.wrap(all, (int) (8 + n + 12), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }
}
