package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * MM-SafetyBench ({@code isXinLiu/MM-SafetyBench}): {@code data/processed_questions/{scenario}.json} is a JSON object
 * mapping a question id ({@code "0"}, {@code "1"}, …) to {@code {"Question", "Changed Question"?,
 * "Key Phrase", "Phrase Type"?, "Rephrased Question", "Rephrased Question(SD)"}}; images live in
 * {@code imgs/{scenario}/{SD,SD_TYPO,TYPO}/{id}.jpg}. As in the benchmark's own evaluation code, the SD image is asked
 * with {@code "Rephrased Question(SD)"} and the SD_TYPO / TYPO images with {@code "Rephrased Question"}; the text-only
 * variant asks {@code "Question"}. Scenario names are kept verbatim (including the upstream spelling
 * {@code 01-Illegal_Activitiy}) as the category; {@code Key Phrase} becomes the description. Every item is
 * {@code REFUSE} (the benchmark's advice-type scenarios 08, 10–13 are judged differently by its authors; a consumer
 * can filter by category). A question whose image is missing, or an entry with a missing/non-string field, is
 * reported as a bad record and skipped.
 */
public final class MmSafetyBench {
    private MmSafetyBench() {}

    public static final String SOURCE = "mm-safetybench";

    /** Image/question pairing. */
    public enum Variant {
        SD("SD", "Rephrased Question(SD)"),
        SD_TYPO("SD_TYPO", "Rephrased Question"),
        TYPO("TYPO", "Rephrased Question"),
        /** Text only: the original question, no image. */
        TEXT(null, "Question");

        public final String folder;
        public final String questionKey;

        Variant(String folder, String questionKey) {
            this.folder = folder;
            this.questionKey = questionKey;
        }
    }

    /**
     * Reads all scenarios.
     *
     * @param questionsDir {@code processed_questions/}
     * @param imgsRoot {@code imgs/} (the image root), may be {@code null} when only {@link Variant#TEXT} is asked
     */
    public static List<SafetyItem> read(Path questionsDir, Path imgsRoot, Set<Variant> variants, BadRecordReport report)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(questionsDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) throw new DatasetFormatException(questionsDir + ": no {scenario}.json files");
        ImageRoot root = imgsRoot == null ? null : new ImageRoot(imgsRoot);
        List<SafetyItem> out = new ArrayList<>();
        for (Path f : files) out.addAll(readScenario(f, root, variants, report));
        return out;
    }

    public static List<SafetyItem> read(Path questionsDir, Path imgsRoot, BadRecordReport report) throws IOException {
        return read(questionsDir, imgsRoot, EnumSet.of(Variant.SD, Variant.SD_TYPO, Variant.TYPO), report);
    }

    /** Reads one {@code {scenario}.json}, streaming over its entries. */
    public static List<SafetyItem> readScenario(Path file, ImageRoot imgs, Set<Variant> variants, BadRecordReport report)
            throws IOException {
        String name = file.getFileName().toString();
        String scenario = name.substring(0, name.length() - ".json".length());
        List<SafetyItem> out = new ArrayList<>();
        try (JsonParser p = LlavaJsonReader.MAPPER.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw DatasetFormatException.at(file, -1, p.currentLocation().getLineNr(), "expected a JSON object of id -> question");
            }
            long index = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String qid = p.currentName();
                long line = p.currentLocation().getLineNr();
                long i = index++;
                p.nextToken();
                JsonNode entry;
                try {
                    entry = p.readValueAsTree();
                } catch (JsonProcessingException e) {
                    throw DatasetFormatException.at(file, i, line, "malformed JSON: " + e.getOriginalMessage());
                }
                for (Variant v : variants) {
                    try {
                        RecordProblem.requireObject(entry);
                        String q = RecordProblem.requireText(entry, v.questionKey);
                        String key = RecordProblem.optText(entry, "Key Phrase");
                        Path image = null;
                        if (v.folder != null) {
                            if (imgs == null) throw new IllegalArgumentException("an image root is needed for variant " + v);
                            image = imgs.resolve(scenario + "/" + v.folder + "/" + qid + ".jpg");
                            if (!Files.isRegularFile(image)) throw new RecordProblem("missing image " + image);
                        }
                        out.add(new SafetyItem(scenario + "/" + v.name() + "/" + qid, image, scenario, q, key,
                                SafetyItem.Expected.REFUSE, SOURCE));
                    } catch (RecordProblem | PathEscapeException e) {
                        report.report(file, i, line, "question \"" + qid + "\" (" + v + "): " + e.getMessage());
                    }
                }
            }
        }
        return out;
    }
}
