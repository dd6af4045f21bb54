package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of one model directory in Hugging Face layout: a single {@code model.safetensors}, or shards listed
 * by {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard}}}).
 * All files are opened and their headers validated up front; tensors are memory-mapped on {@link #load}.
 *
 * <p>Only those two standard names are picked up automatically — other {@code *.safetensors} files in a model
 * directory (for example {@code mm_projector.safetensors}) are not a model; open them with
 * {@link #open(Path, String)}. Thread-safe.
 */
public final class Checkpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path dir;
    private final Path source;
    private final Map<String, SafeTensorsFile> byTensor;
    private final List<SafeTensorsFile> files;
    private final Map<String, String> metadata;

    private Checkpoint(Path dir, Path source, Map<String, SafeTensorsFile> byTensor, List<SafeTensorsFile> files,
                       Map<String, String> metadata) {
        this.dir = dir;
        this.source = source;
        this.byTensor = Collections.unmodifiableMap(byTensor);
        this.files = List.copyOf(files);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens the model checkpoint in {@code dir}: {@code model.safetensors} or {@code model.safetensors.index.json}.
     * If both exist (an interrupted save), the more recently modified one wins. A path to a file is opened as
     * {@code open(parent, fileName)}.
     *
     * @throws CheckpointException when neither exists, naming what the directory holds
     */
    public static Checkpoint open(Path dir) {
        if (Files.isRegularFile(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            return open(parent, dir.getFileName().toString());
        }
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory " + dir + " does not exist");
        }
        Path single = dir.resolve(SafeTensorsWriter.SINGLE_FILE);
        Path index = dir.resolve(SafeTensorsWriter.INDEX_FILE);
        boolean hasSingle = Files.isRegularFile(single);
        boolean hasIndex = Files.isRegularFile(index);
        if (hasSingle && hasIndex) {
            return open(dir, modified(index) > modified(single) ? index.getFileName().toString()
                    : single.getFileName().toString());
        }
        if (hasIndex) {
            return open(dir, SafeTensorsWriter.INDEX_FILE);
        }
        if (hasSingle) {
            return open(dir, SafeTensorsWriter.SINGLE_FILE);
        }
        throw new CheckpointException("no model weights in " + dir + ": expected " + SafeTensorsWriter.SINGLE_FILE
                + " or " + SafeTensorsWriter.INDEX_FILE + otherSafetensors(dir));
    }

    /**
     * Opens an explicitly named weights file in {@code dir}: a {@code *.safetensors} file, or a sharded index
     * ({@code *.index.json}).
     */
    public static Checkpoint open(Path dir, String fileName) {
        Path p = dir.resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new CheckpointException("checkpoint file " + p + " does not exist");
        }
        if (fileName.endsWith(".json")) {
            return openIndex(dir, p);
        }
        SafeTensorsFile f = SafeTensorsFile.open(p);
        Map<String, SafeTensorsFile> map = new LinkedHashMap<>();
        f.tensors().keySet().forEach(n -> map.put(n, f));
        return new Checkpoint(dir, p, map, List.of(f), f.metadata());
    }

    private static Checkpoint openIndex(Path dir, Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException("sharded index " + index + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode wm = root == null ? null : root.get("weight_map");
        if (wm == null || !wm.isObject()) {
            throw new CheckpointException("sharded index " + index
                    + " has no \"weight_map\" object; expected {\"metadata\": {...}, \"weight_map\": {tensor: shard}}");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode m = root.get("metadata");
        if (m != null && m.isObject()) {
            for (Map.Entry<String, JsonNode> e : m.properties()) {
                meta.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : wm.properties()) {
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new CheckpointException("sharded index " + index + ": weight_map entry for '" + tensor
                            + "' must be a shard file name, found " + e.getValue());
                }
                String shard = e.getValue().asText();
                SafeTensorsFile f = shards.get(shard);
                if (f == null) {
                    Path sp = dir.resolve(shard).normalize();
                    if (!sp.startsWith(dir.normalize()) || !Files.isRegularFile(sp)) {
                        throw new CheckpointException("sharded index " + index + " maps tensor '" + tensor
                                + "' to shard '" + shard + "', which does not exist in " + dir);
                    }
                    f = SafeTensorsFile.open(sp);
                    shards.put(shard, f);
                    checkSaveId(index, meta, f);
                }
                if (!f.tensors().containsKey(tensor)) {
                    throw new CheckpointException("sharded index " + index + " maps tensor '" + tensor
                            + "' to shard " + f.file() + ", which does not contain it"
                            + TensorNames.suggestions(tensor, f.tensors().keySet()));
                }
                byTensor.put(tensor, f);
            }
        } catch (RuntimeException ex) {
            shards.values().forEach(SafeTensorsFile::close);
            throw ex;
        }
        return new Checkpoint(dir, index, byTensor, new ArrayList<>(shards.values()), meta);
    }

    /** Shards written by {@link SafeTensorsWriter} carry the save id of their index; a mismatch is a mixed save. */
    private static void checkSaveId(Path index, Map<String, String> indexMeta, SafeTensorsFile shard) {
        String want = indexMeta.get(SafeTensorsWriter.SAVE_ID_KEY);
        String got = shard.metadata().get(SafeTensorsWriter.SAVE_ID_KEY);
        if (want != null && !want.equals(got)) {
            shard.close();
            throw new CheckpointException("shard " + shard.file() + " belongs to save '" + got + "' but index "
                    + index + " is save '" + want + "': the directory mixes files of two saves (an interrupted "
                    + "save?); re-save the checkpoint");
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String otherSafetensors(Path dir) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.safetensors")) {
            ds.forEach(p -> found.add(p.getFileName().toString()));
        } catch (IOException ignored) {
            return "";
        }
        if (found.isEmpty()) {
            for (String pickle : new String[] {"pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt"}) {
                if (Files.exists(dir.resolve(pickle))) {
                    return "; found " + pickle + ", a PyTorch pickle checkpoint, which is not supported: convert it "
                            + "to safetensors (transformers: save_pretrained(dir, safe_serialization=True))";
                }
            }
            return " (the directory holds no .safetensors files)";
        }
        Collections.sort(found);
        return "; found " + String.join(", ", found)
                + " — not a full model; open it explicitly with Checkpoint.open(dir, fileName)";
    }

    /** The directory this checkpoint was opened from. */
    public Path dir() {
        return dir;
    }

    /** The file opened: {@code model.safetensors}, the index, or the explicitly named file. */
    public Path source() {
        return source;
    }

    /** File metadata: {@code __metadata__} of a single file, or the index's {@code metadata}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor name, in file / index order. */
    public Set<String> names() {
        return byTensor.keySet();
    }

    /** Whether the checkpoint holds {@code name}. */
    public boolean has(String name) {
        return byTensor.containsKey(name);
    }

    /** The header entry for {@code name}. */
    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    /** Sum of numel over every tensor. */
    public long parameterCount() {
        long n = 0;
        for (String name : byTensor.keySet()) {
            n += info(name).numel();
        }
        return n;
    }

    /** Loads a tensor (see {@link SafeTensorsFile#load}) into {@code manager}. */
    public NDArray load(String name, NDManager manager) {
        return fileOf(name).load(name, manager);
    }

    /**
     * Loads a tensor after checking its shape.
     *
     * @throws CheckpointException naming the tensor, file, expected and actual shape on a mismatch
     */
    public NDArray load(String name, long[] expectedShape, NDManager manager) {
        checkShape(name, expectedShape);
        return load(name, manager);
    }

    /** Loads an F32/F16/BF16 tensor as FLOAT16 after checking its shape (see {@link SafeTensorsFile#loadHalf}). */
    public NDArray loadHalf(String name, long[] expectedShape, NDManager manager) {
        checkShape(name, expectedShape);
        return fileOf(name).loadHalf(name, manager);
    }

    /** Loads an F32/F16/BF16 tensor as a float array. */
    public float[] loadFloats(String name) {
        return fileOf(name).loadFloats(name);
    }

    /** Throws unless {@code name} exists with exactly {@code expectedShape}. */
    public void checkShape(String name, long[] expectedShape) {
        TensorInfo t = info(name);
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new CheckpointException("tensor '" + name + "' in " + t.file() + " has shape "
                    + Arrays.toString(t.shape()) + " but the model expects " + Arrays.toString(expectedShape));
        }
    }

    private SafeTensorsFile fileOf(String name) {
        SafeTensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new CheckpointException("tensor '" + name + "' not found in checkpoint " + dir + " ("
                    + byTensor.size() + " tensors in " + source.getFileName() + ")"
                    + TensorNames.suggestions(name, byTensor.keySet()));
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafeTensorsFile::close);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + source + ", " + byTensor.size() + " tensors]";
    }
}
