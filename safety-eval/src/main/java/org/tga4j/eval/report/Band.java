package org.tga4j.eval.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tga4j.eval.probe.ProbeResult;

/**
 * The recommended alignment band as the trainer reads it: {@code {"layers": [start, end], ...}} where the layers are
 * hidden-state indices (0 = embeddings), {@code "align_layers": "a..b"} as {@code tga train --align-layers} takes it,
 * plus the evidence (every start and end layer, the model, the words).
 */
public final class Band {
    private Band() {}

    /** Writes {@code band.json}; throws when the probe found no band (no text run refused). */
    public static void write(Path file, ProbeResult probe, String modelPath, String modelSha256) {
        if (probe.band() == null) {
            throw new IllegalStateException("no safety band: no toxic text run put a refusal token on top at any layer "
                    + "(refusal words " + probe.refusalWords() + "); the model shows no text safety mechanism to align to");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", probe.band());
        m.put("align_layers", probe.band()[0] + ".." + probe.band()[1]);
        m.put("index_convention", "hidden-state index: 0 = embeddings, l = output of decoder layer l");
        m.put("start_layers", probe.startLayers());
        m.put("end_layers", probe.endLayers());
        m.put("refusal_words", probe.refusalWords());
        m.put("refusal_token_ids", probe.refusalTokenIds());
        m.put("num_hidden_states", probe.layers());
        m.put("model_path", modelPath);
        m.put("model_sha256", modelSha256);
        try {
            Report.atomicWrite(file, Report.JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
