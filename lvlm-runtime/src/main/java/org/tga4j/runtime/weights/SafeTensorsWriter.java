package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes safetensors files and Hugging Face-layout checkpoints.
 *
 * <p>Tensors are written in the map's iteration order, the header padded with spaces to a multiple of 8 bytes so
 * every tensor starts aligned. Floating tensors (FLOAT32 or FLOAT16 NDArrays, {@link HostTensor}s) are stored as
 * F32 by default, or narrowed to F16 / BF16 with round-to-nearest-even; FLOAT64 and integer/boolean arrays keep
 * their type. Every write goes to a temporary file in the target directory and is moved into place atomically, so a
 * crash never leaves a partial file under the final name.
 */
public final class SafeTensorsWriter {
    /** Shard file names written by {@link #writeSharded}, as Hugging Face names them. */
    static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    /** transformers' default {@code max_shard_size} ("5GB"). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    /** Metadata key tying each shard to the index of the same save. */
    public static final String SAVE_ID_KEY = "tga4j_save_id";
    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IO_CHUNK = 1 << 20;

    private SafeTensorsWriter() {
    }

    /** Writes NDArrays to one safetensors file, floats as F32. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, TensorDType.F32);
    }

    /** Writes NDArrays to one safetensors file, floats stored as {@code floatType} (F32, F16 or BF16). */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata,
                             TensorDType floatType) {
        writeSources(file, fromNDArrays(tensors, floatType), withFormat(metadata));
    }

    /** Writes host float tensors to one safetensors file, as F32. */
    public static void writeHost(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        writeHost(file, tensors, metadata, TensorDType.F32);
    }

    /** Writes host float tensors to one safetensors file, stored as {@code floatType} (F32, F16 or BF16). */
    public static void writeHost(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata,
                                 TensorDType floatType) {
        writeSources(file, fromHost(tensors, floatType), withFormat(metadata));
    }

    /**
     * Writes a checkpoint directory in Hugging Face layout: {@code model.safetensors} when everything fits in
     * {@code maxShardBytes}, otherwise {@code model-0000i-of-0000N.safetensors} plus
     * {@code model.safetensors.index.json}. Floats are stored as F32.
     */
    public static void writeSharded(Path dir, Map<String, NDArray> tensors, Map<String, String> metadata,
                                    long maxShardBytes) {
        writeSharded(dir, tensors, metadata, maxShardBytes, TensorDType.F32);
    }

    /** As {@link #writeSharded(Path, Map, Map, long)}, floats stored as {@code floatType}. */
    public static void writeSharded(Path dir, Map<String, NDArray> tensors, Map<String, String> metadata,
                                    long maxShardBytes, TensorDType floatType) {
        writeShardedSources(dir, fromNDArrays(tensors, floatType), metadata, maxShardBytes);
    }

    /** As {@link #writeSharded(Path, Map, Map, long)} for host float tensors. */
    public static void writeShardedHost(Path dir, Map<String, HostTensor> tensors, Map<String, String> metadata,
                                        long maxShardBytes, TensorDType floatType) {
        writeShardedSources(dir, fromHost(tensors, floatType), metadata, maxShardBytes);
    }

    // ---------------------------------------------------------------- sources

    private static Map<String, TensorSource> fromNDArrays(Map<String, NDArray> tensors, TensorDType floatType) {
        checkFloatType(floatType);
        Map<String, TensorSource> out = new LinkedHashMap<>();
        tensors.forEach((name, arr) -> out.put(checkName(name), TensorSource.of(name, arr, floatType)));
        return out;
    }

    private static Map<String, TensorSource> fromHost(Map<String, HostTensor> tensors, TensorDType floatType) {
        checkFloatType(floatType);
        Map<String, TensorSource> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(checkName(name), TensorSource.of(t, floatType)));
        return out;
    }

    private static void checkFloatType(TensorDType t) {
        if (!Objects.requireNonNull(t, "floatType").isFloat32Compatible()) {
            throw new IllegalArgumentException("float storage type must be F32, F16 or BF16, got " + t);
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        return name;
    }

    private static Map<String, String> withFormat(Map<String, String> metadata) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt"); // transformers refuses safetensors files without a known format
        if (metadata != null) {
            m.putAll(metadata);
        }
        return m;
    }

    // ---------------------------------------------------------------- single file

    private static void writeSources(Path file, Map<String, TensorSource> tensors, Map<String, String> metadata) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            writeFile(tmp, tensors, metadata);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new CheckpointException("cannot write safetensors file " + file + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes the file in place (callers move it atomically). */
    private static void writeFile(Path file, Map<String, TensorSource> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorSource> e : tensors.entrySet()) {
            TensorSource s = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", s.storedType().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : s.shape()) {
                shape.add(d);
            }
            long len = s.byteLength();
            entry.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, head);
            ByteBuffer buf = ByteBuffer.allocateDirect(IO_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorSource s : tensors.values()) {
                s.encode(buf, b -> writeAll(ch, b));
            }
            ch.force(true);
        }
    }

    static void writeAll(FileChannel ch, ByteBuffer b) {
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- sharded checkpoint

    private static void writeShardedSources(Path dir, Map<String, TensorSource> tensors, Map<String, String> metadata,
                                            long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        List<Map<String, TensorSource>> shards = planShards(tensors, maxShardBytes);
        String saveId = UUID.randomUUID().toString();
        Map<String, String> shardMeta = withFormat(metadata);
        shardMeta.put(SAVE_ID_KEY, saveId);
        Path tmpDir = null;
        try {
            Files.createDirectories(dir);
            tmpDir = Files.createTempDirectory(dir, ".tga4j-save-");
            if (shards.size() == 1) {
                writeFile(tmpDir.resolve(SINGLE_FILE), shards.get(0), shardMeta);
                move(tmpDir.resolve(SINGLE_FILE), dir.resolve(SINGLE_FILE));
                deleteStale(dir, List.of(SINGLE_FILE), true);
                return;
            }
            int n = shards.size();
            Map<String, String> weightMap = new TreeMap<>();
            List<String> names = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < n; i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, n);
                names.add(name);
                writeFile(tmpDir.resolve(name), shards.get(i), shardMeta);
                for (Map.Entry<String, TensorSource> e : shards.get(i).entrySet()) {
                    weightMap.put(e.getKey(), name);
                    total += e.getValue().byteLength();
                }
            }
            ObjectNode index = JSON.createObjectNode();
            ObjectNode meta = index.putObject("metadata");
            meta.put("total_size", total);
            meta.put(SAVE_ID_KEY, saveId);
            ObjectNode wm = index.putObject("weight_map");
            weightMap.forEach(wm::put);
            Path tmpIndex = tmpDir.resolve(INDEX_FILE);
            Files.write(tmpIndex, JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(index));
            for (String name : names) {
                move(tmpDir.resolve(name), dir.resolve(name));
            }
            move(tmpIndex, dir.resolve(INDEX_FILE)); // the index last: until now the previous save stays intact
            deleteStale(dir, names, false);
        } catch (IOException | UncheckedIOException e) {
            throw new CheckpointException("cannot write checkpoint to " + dir + ": " + e, e);
        } finally {
            deleteTree(tmpDir);
        }
    }

    /** Greedy in-order packing, as transformers does: a new shard starts when the next tensor would overflow. */
    private static List<Map<String, TensorSource>> planShards(Map<String, TensorSource> tensors, long max) {
        List<Map<String, TensorSource>> shards = new ArrayList<>();
        Map<String, TensorSource> cur = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, TensorSource> e : tensors.entrySet()) {
            long len = e.getValue().byteLength();
            if (!cur.isEmpty() && size + len > max) {
                shards.add(cur);
                cur = new LinkedHashMap<>();
                size = 0;
            }
            cur.put(e.getKey(), e.getValue());
            size += len;
        }
        shards.add(cur);
        return shards;
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes files of an earlier save that the new one does not use. */
    private static void deleteStale(Path dir, List<String> keep, boolean singleFile) throws IOException {
        if (singleFile) {
            Files.deleteIfExists(dir.resolve(INDEX_FILE));
        } else {
            Files.deleteIfExists(dir.resolve(SINGLE_FILE));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (SHARD_NAME.matcher(n).matches() && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort cleanup of our own temp file
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(SafeTensorsWriter::deleteQuietly);
        } catch (IOException ignored) {
            // best effort cleanup of our own temp directory
        }
    }

    /** Maps an NDArray type to the stored dtype for non-float-32-compatible arrays. */
    static TensorDType storedTypeOf(String name, DataType t, TensorDType floatType) {
        return switch (t) {
            case FLOAT32, FLOAT16 -> floatType;
            case FLOAT64 -> TensorDType.F64;
            case INT64 -> TensorDType.I64;
            case INT32 -> TensorDType.I32;
            case INT16 -> TensorDType.I16;
            case INT8 -> TensorDType.I8;
            case UINT8 -> TensorDType.U8;
            case BOOLEAN -> TensorDType.BOOL;
            default -> throw new IllegalArgumentException("tensor '" + name + "' has data type " + t
                    + ", which cannot be written (supported: float32, float16, float64, int64, int32, int16, int8,"
                    + " uint8, boolean)");
        };
    }
}
