package org.tga4j.retrieval;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;

/**
 * Minimal streaming readers/writers for the formats this module needs: caption JSONL ({@code {"id","text"}} or
 * Pyserini's {@code {"id","contents"}}), LLaVA conversation JSON (a JSON array; the caption is the first gpt turn)
 * and the TGA-augmented LLaVA JSON.
 */
// TODO(merge): replace with org.tga4j.datasets readers (LLaVA JSON streaming reader/writer, JSONL caption reader)
final class CorpusIO {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private CorpusIO() {}

    /** An iterator over records of a file that must be closed. I/O failures surface as {@link UncheckedIOException}. */
    interface RecordStream<T> extends Iterator<T>, Closeable {}

    // ---------------------------------------------------------------- captions

    /**
     * Captions of {@code file}: JSONL when the first non-blank character is '{', LLaVA JSON when it is '['.
     * Bad records are reported to {@code bad} with their line (JSONL) or index (LLaVA) and skipped.
     */
    static RecordStream<CaptionRecord> readCaptions(Path file, BadRecords bad, ProgressListener progress) throws IOException {
        CountingStream in = CountingStream.open(file, progress);
        try {
            int first = in.peekNonBlank();
            if (first == '[') {
                RecordStream<LlavaRecord> llava = llavaStream(file, in, bad);
                return new Mapped<>(llava, r -> {
                    String cap = r.firstAnswer();
                    if (cap == null || cap.isBlank()) {
                        bad.report(file + ": LLaVA record id=" + r.id() + " has no gpt turn to use as caption; skipped");
                        return null;
                    }
                    return new CaptionRecord(r.id(), cap);
                });
            }
            if (first == '{' || first == -1) return jsonlCaptions(file, in, bad);
            throw new IOException(file + ": not a caption file (expected JSONL objects or a LLaVA JSON array, first character '"
                    + (char) first + "')");
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static RecordStream<CaptionRecord> jsonlCaptions(Path file, CountingStream in, BadRecords bad) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        return new Lookahead<>(reader) {
            long line;

            @Override
            CaptionRecord fetch() throws IOException {
                String s;
                while ((s = reader.readLine()) != null) {
                    line++;
                    if (s.isBlank()) continue;
                    CaptionRecord r = parseCaptionLine(file, line, s, bad);
                    if (r != null) return r;
                }
                return null;
            }
        };
    }

    private static CaptionRecord parseCaptionLine(Path file, long line, String s, BadRecords bad) {
        JsonNode n;
        try {
            n = MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            bad.report(file + ":" + line + ": malformed JSON (" + e.getOriginalMessage() + "); skipped");
            return null;
        }
        if (n == null || !n.isObject()) {
            bad.report(file + ":" + line + ": expected a JSON object {\"id\",\"text\"}; skipped");
            return null;
        }
        JsonNode id = n.get("id");
        JsonNode text = n.has("text") ? n.get("text") : n.get("contents");
        if (id == null || !id.isValueNode() || id.isNull() || id.asText().isBlank()) {
            bad.report(file + ":" + line + ": missing or empty \"id\"; skipped");
            return null;
        }
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            bad.report(file + ":" + line + ": id=" + id.asText() + " has no non-empty \"text\" or \"contents\" string; skipped");
            return null;
        }
        return new CaptionRecord(id.asText(), text.asText());
    }

    // ---------------------------------------------------------------- LLaVA JSON

    /** Records of a LLaVA JSON array, streamed; malformed records are reported with their index and skipped. */
    static RecordStream<LlavaRecord> readLlava(Path file, BadRecords bad, ProgressListener progress) throws IOException {
        CountingStream in = CountingStream.open(file, progress);
        try {
            return llavaStream(file, in, bad);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static RecordStream<LlavaRecord> llavaStream(Path file, InputStream in, BadRecords bad) throws IOException {
        JsonParser p = FACTORY.createParser(in);
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            p.close();
            throw new IOException(file + ": expected a JSON array of LLaVA records, found " + t);
        }
        return new Lookahead<>(p) {
            long index = -1;

            @Override
            LlavaRecord fetch() throws IOException {
                while (true) {
                    JsonToken tok;
                    try {
                        tok = p.nextToken();
                    } catch (JsonProcessingException e) {
                        throw new IOException(file + ": malformed JSON after record #" + index + ": " + e.getOriginalMessage()
                                + " at " + e.getLocation(), e);
                    }
                    if (tok == JsonToken.END_ARRAY || tok == null) return null;
                    index++;
                    JsonNode n;
                    try {
                        n = MAPPER.readTree(p);
                    } catch (JsonProcessingException e) {
                        throw new IOException(file + ": malformed JSON in record #" + index + ": " + e.getOriginalMessage()
                                + " at " + e.getLocation(), e);
                    }
                    LlavaRecord r = toLlava(file, index, n, bad);
                    if (r != null) return r;
                }
            }
        };
    }

    private static LlavaRecord toLlava(Path file, long index, JsonNode n, BadRecords bad) {
        String where = file + ": record #" + index;
        if (!n.isObject()) {
            bad.report(where + ": expected an object, found " + n.getNodeType() + "; skipped");
            return null;
        }
        JsonNode id = n.get("id");
        if (id == null || !id.isValueNode() || id.isNull()) {
            bad.report(where + ": missing \"id\"; skipped");
            return null;
        }
        where += " (id=" + id.asText() + ")";
        JsonNode image = n.get("image");
        if (image != null && !image.isNull() && !image.isTextual()) {
            bad.report(where + ": \"image\" is not a string; skipped");
            return null;
        }
        JsonNode conv = n.get("conversations");
        if (conv == null || !conv.isArray()) {
            bad.report(where + ": missing \"conversations\" array; skipped");
            return null;
        }
        List<Turn> turns = new ArrayList<>(conv.size());
        for (JsonNode turn : conv) {
            JsonNode from = turn.get("from");
            JsonNode value = turn.get("value");
            if (from == null || !from.isTextual() || value == null || !value.isTextual()) {
                bad.report(where + ": a conversation turn lacks string \"from\"/\"value\"; skipped");
                return null;
            }
            turns.add(new Turn(from.asText(), value.asText()));
        }
        LlavaRecord.RetrievalInfo info = null;
        JsonNode ri = n.get("retrieval");
        if (ri != null && ri.isObject()) {
            info = new LlavaRecord.RetrievalInfo(
                    ri.path("retriever").asText(null), ri.path("score").asDouble(), ri.path("rule").asText(null),
                    ri.path("source_id").asText(null));
        }
        return new LlavaRecord(id.asText(), image == null || image.isNull() ? null : image.asText(), turns,
                textOrNull(n.get("image_caption")), textOrNull(n.get("retrieved_caption")), info);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.asText();
    }

    /** Writes LLaVA records as a JSON array, one record per line, with the TGA fields when present. */
    static final class LlavaWriter implements Closeable {
        private final JsonGenerator g;
        private boolean first = true;

        LlavaWriter(OutputStream out) throws IOException {
            g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            g.writeStartArray();
        }

        void write(LlavaRecord r) throws IOException {
            g.writeRaw(first ? "\n" : "");
            first = false;
            g.writeStartObject();
            g.writeStringField("id", r.id());
            if (r.image() != null) g.writeStringField("image", r.image());
            g.writeArrayFieldStart("conversations");
            for (Turn t : r.conversations()) {
                g.writeStartObject();
                g.writeStringField("from", t.from());
                g.writeStringField("value", t.value());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.imageCaption() != null) g.writeStringField("image_caption", r.imageCaption());
            if (r.retrievedCaption() != null) g.writeStringField("retrieved_caption", r.retrievedCaption());
            LlavaRecord.RetrievalInfo info = r.retrieval();
            if (info != null) {
                g.writeObjectFieldStart("retrieval");
                g.writeStringField("retriever", info.retriever());
                g.writeNumberField("score", info.score());
                g.writeStringField("rule", info.rule());
                g.writeStringField("source_id", info.sourceId());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            g.writeEndArray();
            g.writeRaw('\n');
            g.close();
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** A file input stream that reports bytes consumed and can peek at the first non-blank byte. */
    static final class CountingStream extends FilterInputStream {
        private final long total;
        private final ProgressListener progress;
        private long done;
        private long lastReported;

        private CountingStream(InputStream in, long total, ProgressListener progress) {
            super(new PushbackInputStream(in, 1));
            this.total = total;
            this.progress = progress;
        }

        static CountingStream open(Path file, ProgressListener progress) throws IOException {
            if (!Files.isRegularFile(file)) throw new IOException("no such file: " + file);
            return new CountingStream(Files.newInputStream(file), Files.size(file), progress);
        }

        int peekNonBlank() throws IOException {
            PushbackInputStream p = (PushbackInputStream) in;
            int c;
            do {
                c = p.read();
                if (c >= 0) count(1);
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            if (c >= 0) {
                p.unread(c);
                done--;
            }
            return c;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) count(1);
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(long n) {
            done += n;
            if (done - lastReported >= (1 << 20) || done == total) {
                lastReported = done;
                progress.progress(done, total);
            }
        }
    }

    /** Iterator with one-record lookahead over a fetch function that returns {@code null} at the end. */
    private abstract static class Lookahead<T> implements RecordStream<T> {
        private final Closeable resource;
        private T next;
        private boolean done;

        Lookahead(Closeable resource) {
            this.resource = resource;
        }

        abstract T fetch() throws IOException;

        @Override
        public boolean hasNext() {
            if (next != null) return true;
            if (done) return false;
            try {
                next = fetch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (next == null) done = true;
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            T t = next;
            next = null;
            return t;
        }

        @Override
        public void close() throws IOException {
            resource.close();
        }
    }

    /** Maps a stream; a mapping result of {@code null} drops the record. */
    private static final class Mapped<A, B> implements RecordStream<B> {
        private final RecordStream<A> source;
        private final java.util.function.Function<A, B> fn;
        private B next;

        Mapped(RecordStream<A> source, java.util.function.Function<A, B> fn) {
            this.source = source;
            this.fn = fn;
        }

        @Override
        public boolean hasNext() {
            while (next == null && source.hasNext()) next = fn.apply(source.next());
            return next != null;
        }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException();
            B b = next;
            next = null;
            return b;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
