package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Streams {@link LlavaRecord}s out of a LLaVA conversation file: a top-level JSON array, read one element at a time
 * (a 665K-record file is never held in memory).
 *
 * <p>Formats verified against the LLaVA repository ({@code haotian-liu/LLaVA}, {@code llava/train/train.py} and the
 * data docs) and against code that consumes these files:
 * <ul>
 *   <li>LCS-558K {@code blip_laion_cc_sbu_558k.json}: {@code {"id": "004539375", "image": "00453/004539375.jpg",
 *       "conversations": [{"from": "human", "value": "Render a clear and concise summary of the photo.\n<image>"},
 *       {"from": "gpt", "value": "<caption>"}]}}; the {@code <image>} token may come before or after the prompt.
 *   <li>{@code llava_v1_5_mix665k.json}: multi-turn conversations; text-only ShareGPT rows have no {@code image} key
 *       and carry extra keys such as {@code "model": ""}; ids are strings (e.g. {@code "i6IyJda_0"}) or numbers.
 *   <li>tga4j's TGA-augmented form adds {@code image_caption}, {@code retrieved_caption} and provenance keys
 *       {@code retriever}, {@code retrieval_score}, {@code retrieval_rule}, {@code retrieved_id}.
 * </ul>
 * Required: {@code id} (string or integer), {@code conversations} (array of objects with string {@code from} and
 * {@code value}). Optional: {@code image} (string). Unknown keys are kept in {@link LlavaRecord#extra()}.
 * A bad element (malformed JSON, missing required field, wrong type, or an image path escaping the image root when
 * one is given) is reported to the {@link BadRecordReport} with its index and line, and skipped.
 */
public final class LlavaJsonReader implements Iterator<LlavaRecord>, AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Keys of the TGA-augmented form. */
    public static final String IMAGE_CAPTION = "image_caption", RETRIEVED_CAPTION = "retrieved_caption",
            RETRIEVER = "retriever", RETRIEVAL_SCORE = "retrieval_score", RETRIEVAL_RULE = "retrieval_rule",
            RETRIEVED_ID = "retrieved_id";

    private static final java.util.Set<String> KNOWN = java.util.Set.of("id", "image", "conversations", IMAGE_CAPTION,
            RETRIEVED_CAPTION, RETRIEVER, RETRIEVAL_SCORE, RETRIEVAL_RULE, RETRIEVED_ID);

    private final Path file;
    private final BadRecordReport report;
    private final ImageRoot imageRoot;
    private final JsonArrayElements elements;
    private LlavaRecord next;
    private long good;

    /**
     * Opens a LLaVA JSON file.
     *
     * @param imageRoot when non-null, every {@code image} must resolve inside it ({@link ImageRoot#resolve}), else
     *     the record is bad; the stored path stays as written in the file
     */
    public LlavaJsonReader(Path file, BadRecordReport report, ImageRoot imageRoot) throws IOException {
        this(file, Files.newBufferedReader(file, StandardCharsets.UTF_8), report, imageRoot);
    }

    /**
     * Reads LLaVA JSON from an already opened character stream, e.g. one that counts the bytes it decodes for a
     * progress bar. The reader is closed by {@link #close()} (also when this constructor throws).
     *
     * @param file names the source in bad-record reports and exceptions (it is not opened)
     * @param in the JSON text; buffering it is the caller's choice
     */
    public LlavaJsonReader(Path file, Reader in, BadRecordReport report, ImageRoot imageRoot) throws IOException {
        this.file = file;
        this.report = Objects.requireNonNull(report, "report");
        this.imageRoot = imageRoot;
        try {
            this.elements = new JsonArrayElements(in, file);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public LlavaJsonReader(Path file, BadRecordReport report) throws IOException {
        this(file, report, null);
    }

    /** Reads the whole file, passing each good record to {@code sink}; returns the number of good records. */
    public static long forEach(Path file, BadRecordReport report, Consumer<LlavaRecord> sink) throws IOException {
        try (LlavaJsonReader r = new LlavaJsonReader(file, report)) {
            while (r.hasNext()) sink.accept(r.next());
            return r.goodCount();
        }
    }

    /** Reads a whole (small) file into a list. */
    public static List<LlavaRecord> readAll(Path file, BadRecordReport report) throws IOException {
        List<LlavaRecord> out = new ArrayList<>();
        forEach(file, report, out::add);
        return out;
    }

    /** Number of good records returned so far. */
    public long goodCount() {
        return good;
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                JsonArrayElements.Element e = elements.next();
                if (e == null) return false;
                next = parse(e);
            }
            return true;
        } catch (IOException ex) {
            throw new UncheckedIOException("reading " + file, ex);
        }
    }

    @Override
    public LlavaRecord next() {
        if (!hasNext()) throw new NoSuchElementException();
        LlavaRecord r = next;
        next = null;
        good++;
        return r;
    }

    private LlavaRecord parse(JsonArrayElements.Element e) {
        try {
            JsonNode n = MAPPER.readTree(e.text());
            return fromJson(n, imageRoot);
        } catch (JsonProcessingException ex) {
            report.report(file, e.index(), e.line(), "malformed JSON: " + ex.getOriginalMessage());
        } catch (RecordProblem | PathEscapeException ex) {
            report.report(file, e.index(), e.line(), ex.getMessage());
        }
        return null;
    }

    /** Maps one JSON object onto a record; throws {@link RecordProblem} or {@link PathEscapeException}. */
    static LlavaRecord fromJson(JsonNode n, ImageRoot imageRoot) {
        RecordProblem.requireObject(n);
        String id = RecordProblem.id(n, "id");
        String image = RecordProblem.optText(n, "image");
        if (image != null && imageRoot != null) imageRoot.resolve(image);
        JsonNode conv = n.get("conversations");
        if (conv == null || conv.isNull()) throw new RecordProblem("missing required field \"conversations\"");
        if (!conv.isArray()) throw new RecordProblem("field \"conversations\" must be an array but is " + RecordProblem.kind(conv));
        List<Turn> turns = new ArrayList<>(conv.size());
        for (int i = 0; i < conv.size(); i++) {
            JsonNode t = conv.get(i);
            if (!t.isObject()) throw new RecordProblem("conversations[" + i + "] must be an object but is " + RecordProblem.kind(t));
            try {
                turns.add(new Turn(RecordProblem.requireText(t, "from"), RecordProblem.requireText(t, "value")));
            } catch (RecordProblem p) {
                throw new RecordProblem("conversations[" + i + "]: " + p.getMessage());
            }
        }
        String caption = RecordProblem.optText(n, IMAGE_CAPTION);
        String retrieved = RecordProblem.optText(n, RETRIEVED_CAPTION);
        LlavaRecord.RetrievalInfo info = null;
        String retriever = RecordProblem.optText(n, RETRIEVER);
        if (retriever != null) {
            JsonNode s = n.get(RETRIEVAL_SCORE);
            if (s != null && !s.isNull() && !s.isNumber()) {
                throw new RecordProblem("field \"" + RETRIEVAL_SCORE + "\" must be a number but is " + RecordProblem.kind(s));
            }
            info = new LlavaRecord.RetrievalInfo(retriever, s == null || s.isNull() ? Double.NaN : s.doubleValue(),
                    RecordProblem.optText(n, RETRIEVAL_RULE), RecordProblem.optText(n, RETRIEVED_ID));
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        n.properties().forEach(f -> {
            if (!KNOWN.contains(f.getKey())) extra.put(f.getKey(), f.getValue());
        });
        return new LlavaRecord(id, image, turns, caption, retrieved, info, extra);
    }

    @Override
    public void close() throws IOException {
        elements.close();
    }
}
