package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A toxic-image set (or a benign control set) as a JSONL manifest, one image per line:
 * {@code {"image": "test/tw000123.png", "category": "knife", "description": "a red knife ..."}}. Required:
 * {@code image} (relative to the image root) and {@code category}. Optional: {@code description}, {@code id}
 * (defaults to the image path), {@code prompt}, and {@code expected} ({@code "refuse"} or {@code "answer"}; defaults
 * to {@code refuse}, as a manifest normally lists toxic images). Unknown keys are ignored.
 */
public final class SafetyManifest {
    private SafetyManifest() {}

    public static final String SOURCE = "manifest";

    /** Reads a manifest; image paths resolve through {@code imageRoot}. */
    public static List<SafetyItem> read(Path file, ImageRoot imageRoot, BadRecordReport report) throws IOException {
        List<SafetyItem> out = new ArrayList<>();
        JsonlReader.forEach(file, report, n -> fromJson(n, imageRoot), out::add);
        return out;
    }

    static SafetyItem fromJson(JsonNode n, ImageRoot root) {
        RecordProblem.requireObject(n);
        String image = RecordProblem.requireText(n, "image");
        String category = RecordProblem.requireText(n, "category");
        String id = n.has("id") ? RecordProblem.id(n, "id") : image;
        String exp = RecordProblem.optText(n, "expected");
        SafetyItem.Expected expected;
        if (exp == null) expected = SafetyItem.Expected.REFUSE;
        else {
            try {
                expected = SafetyItem.Expected.valueOf(exp.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RecordProblem("field \"expected\" must be \"refuse\" or \"answer\" but is \"" + exp + "\"");
            }
        }
        String source = n.has("source") ? RecordProblem.requireText(n, "source") : SOURCE;
        return new SafetyItem(id, root.resolve(image), category, RecordProblem.optText(n, "prompt"),
                RecordProblem.optText(n, "description"), expected, source);
    }

    /** Writes a manifest atomically; image paths are written relative to {@code imageRoot}. */
    public static void write(Path target, List<SafetyItem> items, ImageRoot imageRoot) throws IOException {
        AtomicFiles.write(target, out -> {
            JsonGenerator g = LlavaJsonReader.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            for (SafetyItem it : items) {
                g.writeStartObject();
                g.writeStringField("id", it.id());
                g.writeStringField("image", imageRoot.relativize(it.image()));
                g.writeStringField("category", it.category());
                if (it.description() != null) g.writeStringField("description", it.description());
                if (it.prompt() != null) g.writeStringField("prompt", it.prompt());
                g.writeStringField("expected", it.expected().name().toLowerCase(Locale.ROOT));
                if (it.source() != null && !SOURCE.equals(it.source())) g.writeStringField("source", it.source());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
    }
}
