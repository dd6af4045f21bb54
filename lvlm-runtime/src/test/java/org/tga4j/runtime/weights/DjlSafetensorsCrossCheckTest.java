package org.tga4j.runtime.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cross-checks against DJL's own, independent safetensors codec ({@code NDList.encode(SAFETENSORS)}). */
class DjlSafetensorsCrossCheckTest {
    @TempDir
    Path tmp;

    @Test
    void ourReaderReadsFilesDjlWrites() throws IOException {
        Path file = tmp.resolve("djl.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {0.5f, -1.25f, 3f, 1e-30f, -0f, 7f}, new Shape(3, 2));
            w.setName("language_model.model.layers.0.mlp.up_proj.weight");
            NDArray ids = m.create(new long[] {5, -6, 7});
            ids.setName("position_ids");
            try (OutputStream os = Files.newOutputStream(file)) {
                new NDList(w, ids).encode(os, NDList.Encoding.SAFETENSORS);
            }
            try (SafeTensorsFile f = SafeTensorsFile.open(file); NDManager sub = m.newSubManager()) {
                assertEquals(2, f.tensors().size());
                assertArrayEquals(w.toFloatArray(), f.loadFloats("language_model.model.layers.0.mlp.up_proj.weight"));
                assertEquals(new Shape(3, 2), f.load("language_model.model.layers.0.mlp.up_proj.weight", sub).getShape());
                assertArrayEquals(ids.toLongArray(), f.load("position_ids", sub).toLongArray());
            }
        }
    }

    @Test
    void djlReadsFilesOurWriterWrites() throws IOException {
        Path file = tmp.resolve("ours.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("model.language_model.norm.weight", m.create(new float[] {1f, 2f, -3.5f}));
            t.put("lm_head.weight", m.create(new float[] {9f, 8f, 7f, 6f}, new Shape(2, 2)));
            SafeTensorsWriter.write(file, t, Map.of("format", "pt"));
            NDList back;
            try (InputStream in = Files.newInputStream(file)) {
                back = NDList.decode(m, in);
            }
            assertEquals(2, back.size());
            for (NDArray a : back) {
                NDArray want = t.get(a.getName());
                assertEquals(want.getShape(), a.getShape(), a.getName());
                assertArrayEquals(want.toFloatArray(), a.toFloatArray(), a.getName());
            }
        }
    }
}
