package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams {@link LlavaRecord}s into a LLaVA JSON file (a top-level array, one record per line), atomically: records go
 * to a temp file in the target's directory, and only {@link #commit()} moves it over the target. Closing without
 * committing (e.g. after an exception) deletes the temp file and leaves any existing target untouched.
 *
 * <p>Key order per record: {@code id, image, conversations}, then the source's extra keys, then the TGA keys
 * ({@code image_caption, retrieved_caption, retriever, retrieval_score, retrieval_rule, retrieved_id}) when present.
 * Ids are written as strings (LLaVA's loaders accept both; numeric ids are read back as their decimal text).
 */
public final class LlavaJsonWriter implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final OutputStream out;
    private final JsonGenerator gen;
    private long count;
    private boolean closed;

    public LlavaJsonWriter(Path target) throws IOException {
        this.target = target;
        this.tmp = AtomicFiles.tempFor(target);
        this.out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        this.gen = LlavaJsonReader.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        gen.setPrettyPrinter(new OneRecordPerLine());
        gen.writeStartArray();
    }

    /** Writes a whole list atomically. */
    public static void writeAll(Path target, Iterable<LlavaRecord> records) throws IOException {
        try (LlavaJsonWriter w = new LlavaJsonWriter(target)) {
            for (LlavaRecord r : records) w.write(r);
            w.commit();
        }
    }

    public void write(LlavaRecord r) throws IOException {
        if (closed) throw new IllegalStateException("writer for " + target + " is closed");
        gen.writeStartObject();
        gen.writeStringField("id", r.id());
        if (r.image() != null) gen.writeStringField("image", r.image());
        gen.writeArrayFieldStart("conversations");
        for (Turn t : r.conversations()) {
            gen.writeStartObject();
            gen.writeStringField("from", t.from());
            gen.writeStringField("value", t.value());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        for (Map.Entry<String, JsonNode> e : r.extra().entrySet()) {
            gen.writeFieldName(e.getKey());
            LlavaJsonReader.MAPPER.writeTree(gen, e.getValue());
        }
        if (r.imageCaption() != null) gen.writeStringField(LlavaJsonReader.IMAGE_CAPTION, r.imageCaption());
        if (r.retrievedCaption() != null) gen.writeStringField(LlavaJsonReader.RETRIEVED_CAPTION, r.retrievedCaption());
        LlavaRecord.RetrievalInfo info = r.retrieval();
        if (info != null) {
            gen.writeStringField(LlavaJsonReader.RETRIEVER, info.retriever());
            if (!Double.isNaN(info.score())) gen.writeNumberField(LlavaJsonReader.RETRIEVAL_SCORE, info.score());
            if (info.rule() != null) gen.writeStringField(LlavaJsonReader.RETRIEVAL_RULE, info.rule());
            if (info.sourceId() != null) gen.writeStringField(LlavaJsonReader.RETRIEVED_ID, info.sourceId());
        }
        gen.writeEndObject();
        count++;
    }

    /** Records written so far. */
    public long count() {
        return count;
    }

    /** Finishes the array and atomically replaces the target. */
    public void commit() throws IOException {
        if (closed) throw new IllegalStateException("writer for " + target + " is closed");
        gen.writeEndArray();
        gen.writeRaw('\n');
        gen.close();
        out.close();
        closed = true;
        AtomicFiles.commit(tmp, target);
    }

    /** Without a prior {@link #commit()}: discards everything written (the target is not touched). */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            gen.close();
            out.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code [\n{...},\n{...}\n]}: one compact record per line, like the released LLaVA files are easy to grep. */
    private static final class OneRecordPerLine extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            super.writeStartArray(g);
            if (isTopLevel(g)) g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            super.writeArrayValueSeparator(g);
            if (isTopLevel(g)) g.writeRaw('\n');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues > 0 && isTopLevel(g)) g.writeRaw('\n');
            super.writeEndArray(g, nrOfValues);
        }

        private static boolean isTopLevel(JsonGenerator g) {
            return g.getOutputContext().getParent() != null && g.getOutputContext().getParent().inRoot();
        }
    }
}
