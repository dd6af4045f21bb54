package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Caption corpora as JSON lines: tga4j's {@code {"id": "...", "text": "..."}} and Pyserini's
 * {@code {"id": "...", "contents": "..."}} (the JsonCollection layout Pyserini/Anserini index). The reader accepts
 * both (preferring {@code text} when a line has both) and string or integer ids; extra keys are ignored.
 */
public final class CaptionCorpus {
    private CaptionCorpus() {}

    /** Which key holds the text when writing. */
    public enum Style {
        /** {@code {"id","text"}} */
        TEXT("text"),
        /** Pyserini's {@code {"id","contents"}} */
        PYSERINI("contents");

        public final String key;

        Style(String key) {
            this.key = key;
        }
    }

    /** Streams a corpus; returns the number of good records. */
    public static long forEach(Path file, BadRecordReport report, Consumer<CaptionRecord> sink) throws IOException {
        return JsonlReader.forEach(file, report, CaptionCorpus::fromJson, sink);
    }

    public static List<CaptionRecord> readAll(Path file, BadRecordReport report) throws IOException {
        List<CaptionRecord> out = new ArrayList<>();
        forEach(file, report, out::add);
        return out;
    }

    static CaptionRecord fromJson(JsonNode n) {
        RecordProblem.requireObject(n);
        String id = RecordProblem.id(n, "id");
        String text = n.has("text") ? RecordProblem.requireText(n, "text") : null;
        if (text == null) {
            if (!n.has("contents")) throw new RecordProblem("missing required field \"text\" (or Pyserini's \"contents\")");
            text = RecordProblem.requireText(n, "contents");
        }
        return new CaptionRecord(id, text);
    }

    /** Writes a corpus atomically. */
    public static void write(Path target, Iterable<CaptionRecord> records, Style style) throws IOException {
        AtomicFiles.write(target, out -> {
            JsonGenerator g = LlavaJsonReader.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            for (CaptionRecord r : records) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField(style.key, r.text());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
    }
}
