package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped, validated <a href="https://github.com/huggingface/safetensors">safetensors</a> file.
 *
 * <p>Layout: an 8-byte little-endian header length {@code N}, {@code N} bytes of JSON
 * ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the data section;
 * offsets are relative to the start of the data section. {@link #open} validates the whole header up front (sizes,
 * JSON, dtypes, offsets in range, not overlapping, matching dtype × shape), so a bad file fails at open with a
 * {@link CheckpointException} naming the file and tensor, never later inside native code.
 *
 * <p>Loading: F32, F16 and BF16 tensors always come back as FLOAT32 NDArrays (16-bit types are widened here in
 * chunks, bit-exactly; a BF16 NDArray is never created because DJL's PyTorch engine aborts on it). F32 tensors are
 * not copied: the NDArray aliases a private (copy-on-write) mapping of the file, so the weights exist once in memory
 * and in-place updates never reach the file. When the file cannot be opened for a private mapping (read-only file
 * system) or the data is misaligned, the tensor is copied once into native memory instead. Like every NDArray DJL
 * creates from a buffer, views (reshape/transpose results) of a returned array share its memory: keep the returned
 * array open while views of it are in use (closing the owning manager closes both — the normal pattern).
 *
 * <p>Thread-safe: several threads may load tensors concurrently.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** The safetensors reference implementation's header limit. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest buffer handed to one NDArray; larger tensors are assembled from row blocks. */
    static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE & ~63L;
    private static final int CHUNK_ELEMENTS = 1 << 16;
    /** Elements converted per step when a tensor is built in libtorch's memory (4 MB at FLOAT32). */
    private static final int CONVERT_CHUNK_ELEMENTS = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private FileChannel privateChannel;
    private boolean privateUnavailable;
    private volatile boolean closed;

    private SafeTensorsFile(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws CheckpointException when the file is missing, unreadable, truncated or has an invalid header
     */
    public static SafeTensorsFile open(Path file) {
        return open(file, true);
    }

    /** As {@link #open(Path)}; with {@code allowPrivateMapping=false} every tensor is copied into native memory. */
    static SafeTensorsFile open(Path file, boolean allowPrivateMapping) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("safetensors file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot open safetensors file " + file + ": " + e, e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException("safetensors file " + file + " is truncated: " + size
                        + " bytes, expected at least 8 (the little-endian u64 header length)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > size - 8) {
                throw new CheckpointException("safetensors file " + file + " declares a header of "
                        + Long.toUnsignedString(headerLen) + " bytes but only " + (size - 8)
                        + " bytes follow the 8-byte length prefix (truncated file or not a safetensors file)");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw new CheckpointException("safetensors file " + file + " declares a header of " + headerLen
                        + " bytes, more than the format's limit of " + MAX_HEADER_BYTES);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8, file);
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = parseHeader(file, header.array(), dataSize, meta);
            SafeTensorsFile f = new SafeTensorsFile(file, ch, dataStart, Collections.unmodifiableMap(infos),
                    Collections.unmodifiableMap(meta));
            f.privateUnavailable = !allowPrivateMapping;
            return f;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException("cannot read safetensors file " + file + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, byte[] header, long dataSize,
                                                       Map<String, String> metaOut) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new CheckpointException("safetensors file " + file + " has a header that is not valid JSON ("
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString()) + "); expected a JSON object of tensor entries", e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException("safetensors file " + file
                    + " has a header that is not a JSON object; expected {\"tensor\": {\"dtype\", \"shape\", "
                    + "\"data_offsets\"}, ...}");
        }
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                parseMetadata(file, v, metaOut);
                continue;
            }
            infos.put(name, parseEntry(file, name, v, dataSize));
        }
        checkOverlaps(file, infos);
        return infos;
    }

    private static void parseMetadata(Path file, JsonNode v, Map<String, String> out) {
        if (!v.isObject()) {
            throw new CheckpointException("safetensors file " + file
                    + ": __metadata__ must be a JSON object of string values, found " + v.getNodeType());
        }
        for (Map.Entry<String, JsonNode> m : v.properties()) {
            if (!m.getValue().isTextual()) {
                throw new CheckpointException("safetensors file " + file + ": __metadata__ key '" + m.getKey()
                        + "' must have a string value, found " + m.getValue().getNodeType());
            }
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode v, long dataSize) {
        String where = "safetensors file " + file + ", tensor '" + name + "'";
        if (!v.isObject()) {
            throw new CheckpointException(where + ": expected an object with dtype, shape and data_offsets, found "
                    + v.getNodeType());
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new CheckpointException(where + ": missing or non-string \"dtype\"");
        }
        TensorDType dtype;
        try {
            dtype = TensorDType.parse(dt.asText());
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException(where + ": " + ex.getMessage(), ex);
        }
        long[] shape = longArray(v.get("shape"), where, "shape", -1);
        long[] offsets = longArray(v.get("data_offsets"), where, "data_offsets", 2);
        for (long d : shape) {
            if (d < 0) {
                throw new CheckpointException(where + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end
                    + "] are invalid; expected 0 <= begin <= end");
        }
        if (end > dataSize) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataSize + " bytes; the file is truncated)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorInfo.numel(shape), dtype.byteSize());
        } catch (ArithmeticException ex) {
            throw new CheckpointException(where + ": shape " + Arrays.toString(shape) + " overflows", ex);
        }
        if (end - begin != expected) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but dtype " + dtype + " × shape " + Arrays.toString(shape)
                    + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end, file);
    }

    private static long[] longArray(JsonNode n, String where, String key, int expectedLength) {
        if (n == null || !n.isArray() || (expectedLength >= 0 && n.size() != expectedLength)) {
            throw new CheckpointException(where + ": \"" + key + "\" must be an array of "
                    + (expectedLength >= 0 ? expectedLength + " " : "") + "integers, found " + n);
        }
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = n.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                throw new CheckpointException(where + ": \"" + key + "\" must hold integers, found " + n);
            }
            out[i] = x.asLong();
        }
        return out;
    }

    private static void checkOverlaps(Path file, Map<String, TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos.values());
        sorted.removeIf(t -> t.byteLength() == 0);
        sorted.sort(Comparator.comparingLong(TensorInfo::dataBegin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.dataBegin() < prev.dataEnd()) {
                throw new CheckpointException("safetensors file " + file + ": tensor '" + cur.name()
                        + "' data_offsets [" + cur.dataBegin() + ", " + cur.dataEnd() + "] overlap tensor '"
                        + prev.name() + "' [" + prev.dataBegin() + ", " + prev.dataEnd()
                        + "]; expected disjoint byte ranges");
            }
        }
    }

    /** The file this was opened from. */
    public Path file() {
        return file;
    }

    /** Every tensor in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The entry for {@code name}, or a {@link CheckpointException} naming the file and close names. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException("tensor '" + name + "' not found in " + file + " (" + tensors.size()
                    + " tensors)" + TensorNames.suggestions(name, tensors.keySet()));
        }
        return t;
    }

    /**
     * Loads a tensor into {@code manager}. F32/F16/BF16 → FLOAT32; F64, I64, I32, I8, U8 and BOOL keep their type;
     * I16 is widened to INT32 (the PyTorch engine has no int16 creation path).
     */
    public NDArray load(String name, NDManager manager) {
        return load(name, manager, MAX_BUFFER_BYTES);
    }

    /** As {@link #load(String, NDManager)}, assembling from row blocks when the result exceeds {@code maxBuffer}. */
    NDArray load(String name, NDManager manager, long maxBuffer) {
        return load(name, manager, maxBuffer, DataType.FLOAT32);
    }

    /**
     * Loads an F32/F16/BF16 tensor as FLOAT16 into {@code manager}: F16 data as stored, F32 and BF16 data rounded
     * (to nearest, ties to even) block by block, so no FLOAT32 copy of the whole tensor is ever made.
     *
     * @throws CheckpointException naming the tensor when it is not a float tensor or holds finite values FLOAT16
     *     cannot represent (beyond ±65504)
     */
    public NDArray loadHalf(String name, NDManager manager) {
        TensorInfo t = info(name);
        if (!t.dtype().isFloat32Compatible()) {
            throw new CheckpointException("tensor '" + name + "' in " + file + " has dtype " + t.dtype()
                    + "; float16 loading expects F32, F16 or BF16");
        }
        return load(name, manager, MAX_BUFFER_BYTES, DataType.FLOAT16);
    }

    /** @param floatType what F32/F16/BF16 tensors load as: FLOAT32, or FLOAT16 */
    NDArray load(String name, NDManager manager, long maxBuffer, DataType floatType) {
        TensorInfo t = info(name);
        ensureOpen();
        long[] shape = t.shape();
        DataType outType = t.dtype().isFloat32Compatible() ? floatType : outputType(t.dtype());
        long outBytes = t.numel() * outType.getNumOfBytes();
        if (t.numel() == 0) {
            return manager.zeros(new Shape(shape), outType);
        }
        if (outBytes > maxBuffer) {
            return loadInRowBlocks(t, manager, outType, maxBuffer);
        }
        ByteBuffer mapped = storedType(t.dtype()) == outType ? mappedAsStored(t, 0, t.numel()) : null;
        if (mapped != null) return manager.create(mapped, new Shape(shape), outType);
        return converted(t, manager, outType);
    }

    /**
     * A tensor that needs converting (or copying) built in memory libtorch owns, chunk by chunk through one reused
     * buffer. A tensor made from a direct buffer keeps that buffer as its storage, and Java counts every live direct
     * buffer against {@code -XX:MaxDirectMemorySize} (by default the heap limit): a 7B F16 checkpoint widened to
     * FLOAT32 that way needs ~10 GB of it and failed to load with {@code ./tga}'s settings. A copy-on-write file
     * mapping (same type, aligned) does not count and stays the storage.
     */
    private NDArray converted(TensorInfo t, NDManager manager, DataType outType) {
        NDArray out = manager.zeros(new Shape(t.shape()), outType);
        long total = t.numel();
        int bytes = outType.getNumOfBytes();
        int chunk = (int) Math.min(total, CONVERT_CHUNK_ELEMENTS);
        ByteBuffer reused = ByteBuffer.allocateDirect(chunk * bytes).order(ByteOrder.nativeOrder());
        try (NDArray flat = out.reshape(-1)) {
            for (long first = 0; first < total; first += chunk) {
                int n = (int) Math.min(chunk, total - first);
                convertInto(t, first, n, outType, reused.clear());
                ByteBuffer data = reused.slice(0, n * bytes).order(ByteOrder.nativeOrder());
                try (NDArray part = manager.create(data, new Shape(n), outType)) {
                    flat.set(new NDIndex().addSliceDim(first, first + n), part);
                }
            }
        }
        return out;
    }

    /** Loads an F32/F16/BF16 tensor as a Java float array (row-major). */
    public float[] loadFloats(String name) {
        TensorInfo t = info(name);
        ensureOpen();
        if (!t.dtype().isFloat32Compatible()) {
            throw new CheckpointException("tensor '" + name + "' in " + file + " has dtype " + t.dtype()
                    + "; loadFloats expects F32, F16 or BF16");
        }
        if (t.numel() > MAX_BUFFER_BYTES / 4) {
            throw new CheckpointException("tensor '" + name + "' in " + file + " has " + t.numel()
                    + " elements, too many for a Java float[]; use load(name, manager)");
        }
        float[] out = new float[(int) t.numel()];
        if (out.length > 0) {
            readConverted(t, 0, out.length, DataType.FLOAT32, null).buffer().asFloatBuffer().get(out);
        }
        return out;
    }

    /** A read-only little-endian view of a tensor's raw bytes as stored. */
    public ByteBuffer raw(String name) {
        TensorInfo t = info(name);
        ensureOpen();
        return mapReadOnly(dataStart + t.dataBegin(), t.byteLength(), t).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static DataType outputType(TensorDType d) {
        return switch (d) {
            case F32, F16, BF16 -> DataType.FLOAT32;
            case F64 -> DataType.FLOAT64;
            case I64 -> DataType.INT64;
            case I32, I16 -> DataType.INT32;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }

    /** The engine type holding {@code d}'s bytes unchanged, or null when they must be converted (BF16, I16). */
    private static DataType storedType(TensorDType d) {
        return switch (d) {
            case F16 -> DataType.FLOAT16;
            case BF16, I16 -> null;
            default -> outputType(d);
        };
    }

    private NDArray loadInRowBlocks(TensorInfo t, NDManager manager, DataType outType, long maxBuffer) {
        long[] shape = t.shape();
        long rows = shape.length == 0 ? 1 : shape[0];
        long perRow = rows == 0 ? 0 : t.numel() / rows;
        long rowBytes = perRow * outType.getNumOfBytes();
        if (shape.length == 0 || rowBytes > maxBuffer) {
            throw new CheckpointException("tensor '" + t.name() + "' in " + file + " with shape "
                    + Arrays.toString(shape) + " has rows larger than " + maxBuffer
                    + " bytes; cannot be loaded through a single buffer");
        }
        long rowsPerBlock = Math.max(1, maxBuffer / rowBytes);
        try (NDManager tmp = manager.newSubManager()) {
            NDList parts = new NDList();
            for (long r = 0; r < rows; r += rowsPerBlock) {
                long n = Math.min(rowsPerBlock, rows - r);
                long[] blockShape = shape.clone();
                blockShape[0] = n;
                parts.add(tmp.create(readConverted(t, r * perRow, n * perRow, outType, null).buffer(),
                        new Shape(blockShape), outType)); // the concatenation copies them into memory libtorch owns
            }
            NDArray whole = NDArrays.concat(parts, 0);
            whole.attach(manager);
            return whole;
        }
    }

    /** Bytes of a tensor range; {@code mapped}: a copy-on-write file mapping rather than memory Java allocated. */
    private record Bytes(ByteBuffer buffer, boolean mapped) {}

    /**
     * Elements [first, first + count) of a tensor as a direct native-order buffer in {@code outType}: a private
     * mapping for same-type aligned data, otherwise converted (or copied) into {@code dst} (allocated when null).
     */
    private Bytes readConverted(TensorInfo t, long first, long count, DataType outType, ByteBuffer dst) {
        if (storedType(t.dtype()) == outType) {
            ByteBuffer mapped = mappedAsStored(t, first, count);
            if (mapped != null) return new Bytes(mapped, true);
        }
        ByteBuffer out = dst != null ? dst
                : ByteBuffer.allocateDirect(Math.toIntExact(count * outType.getNumOfBytes())).order(ByteOrder.nativeOrder());
        convertInto(t, first, count, outType, out);
        return new Bytes(out, false);
    }

    /** Elements [first, first + count) of a tensor converted (or copied) into {@code out} as {@code outType}. */
    private void convertInto(TensorInfo t, long first, long count, DataType outType, ByteBuffer out) {
        int inSize = t.dtype().byteSize();
        ByteBuffer src = mapReadOnly(dataStart + t.dataBegin() + first * inSize, count * inSize, t);
        if (outType == DataType.FLOAT16 && t.dtype() != TensorDType.F16) {
            narrowToHalf(t, first, src, (int) count, out);
        } else if ((t.dtype() == TensorDType.F16 || t.dtype() == TensorDType.BF16) && outType == DataType.FLOAT32) {
            widenHalf(src, t.dtype() == TensorDType.BF16, (int) count, out);
        } else if (t.dtype() == TensorDType.I16) {
            ShortBuffer in = src.asShortBuffer();
            for (int i = 0; i < count; i++) out.putInt(i * 4, in.get(i));
        } else {
            copyToNativeOrder(src, out, inSize);
        }
    }

    /**
     * Elements [first, first + count) as stored, as a copy-on-write mapping, or null when they cannot be mapped so
     * (not aligned, big-endian host, or the file cannot be opened for a private mapping).
     */
    private ByteBuffer mappedAsStored(TensorInfo t, long first, long count) {
        int inSize = t.dtype().byteSize();
        long offset = dataStart + t.dataBegin() + first * inSize;
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || offset % inSize != 0) return null;
        return mapPrivate(offset, count * inSize, t);
    }

    /** F32 or BF16 elements rounded to float16 into {@code dst}, refusing finite values that would overflow. */
    private void narrowToHalf(TensorInfo t, long first, ByteBuffer src, int count, ByteBuffer dst) {
        src.order(ByteOrder.LITTLE_ENDIAN);
        boolean bf16 = t.dtype() == TensorDType.BF16;
        ShortBuffer out = dst.asShortBuffer();
        short[] h = new short[Math.min(CHUNK_ELEMENTS, count)];
        for (int done = 0; done < count; ) {
            int n = Math.min(h.length, count - done);
            for (int i = 0; i < n; i++) {
                int at = done + i;
                float v = bf16 ? HalfFloats.bf16ToFloat(src.getShort(at * 2)) : src.getFloat(at * 4);
                h[i] = HalfFloats.floatToF16(v);
                if (Float.isInfinite(HalfFloats.f16ToFloat(h[i])) && Float.isFinite(v)) {
                    throw new CheckpointException("tensor '" + t.name() + "' in " + file + " holds " + v
                            + " (element " + (first + at) + "), beyond float16's range (±65504); load this model"
                            + " in float32");
                }
            }
            out.put(h, 0, n);
            done += n;
        }
    }

    private static void widenHalf(ByteBuffer src, boolean bf16, int count, ByteBuffer dst) {
        ShortBuffer in = src.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        FloatBuffer out = dst.asFloatBuffer();
        short[] s = new short[Math.min(CHUNK_ELEMENTS, count)];
        float[] f = new float[s.length];
        for (int done = 0; done < count; ) {
            int n = Math.min(s.length, count - done);
            in.get(s, 0, n);
            if (bf16) {
                for (int i = 0; i < n; i++) {
                    f[i] = HalfFloats.bf16ToFloat(s[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    f[i] = HalfFloats.f16ToFloat(s[i]);
                }
            }
            out.put(f, 0, n);
            done += n;
        }
    }

    private static void copyToNativeOrder(ByteBuffer src, ByteBuffer dst, int elementSize) {
        src.order(ByteOrder.LITTLE_ENDIAN);
        if (elementSize == 1 || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            dst.put(src);
            dst.rewind();
            return;
        }
        int n = src.remaining() / elementSize;
        for (int i = 0; i < n; i++) {
            switch (elementSize) {
                case 2 -> dst.putShort(i * 2, src.getShort(i * 2));
                case 4 -> dst.putInt(i * 4, src.getInt(i * 4));
                default -> dst.putLong(i * 8, src.getLong(i * 8));
            }
        }
    }

    private ByteBuffer mapReadOnly(long offset, long len, TensorInfo t) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, len).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException("cannot map tensor '" + t.name() + "' of " + file + ": " + e, e);
        }
    }

    /** A copy-on-write mapping, or null when the file cannot be opened for one. */
    private ByteBuffer mapPrivate(long offset, long len, TensorInfo t) {
        FileChannel ch = privateChannel();
        if (ch == null) {
            return null;
        }
        try {
            return ch.map(FileChannel.MapMode.PRIVATE, offset, len).order(ByteOrder.nativeOrder());
        } catch (IOException e) {
            throw new CheckpointException("cannot map tensor '" + t.name() + "' of " + file + ": " + e, e);
        }
    }

    private synchronized FileChannel privateChannel() {
        if (privateChannel == null && !privateUnavailable) {
            try {
                // PRIVATE mappings need a channel opened for writing; nothing is ever written through it.
                privateChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                privateUnavailable = true;
            }
        }
        return privateChannel;
    }

    private void ensureOpen() {
        if (closed) {
            throw new CheckpointException("safetensors file " + file + " is already closed");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new CheckpointException("safetensors file " + file + " ended early while reading the header");
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a read-only channel after a failure: nothing to recover
        }
    }

    /** Closes the file handles. NDArrays already loaded stay valid (their mappings outlive the channel). */
    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(channel);
        if (privateChannel != null) {
            closeQuietly(privateChannel);
        }
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + file + ", " + tensors.size() + " tensors]";
    }
}
