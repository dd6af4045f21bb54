package org.tga4j.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * VLGuard's {@code test.json} ({@code ys-zong/VLGuard}): a JSON array of
 * {@code {"id", "image", "safe": bool, "harmful_category"?, "harmful_subcategory"?, "instr-resp": [...]}}.
 * Verified against code that consumes the released file: an unsafe image ({@code safe: false}) carries one
 * {@code {"instruction", "response"}}; a safe image carries {@code {"safe_instruction", "response"}} and
 * {@code {"unsafe_instruction", "response"}}. VLGuard's three evaluation subsets map onto {@link SafetyItem}s as:
 * <ul>
 *   <li>unsafe image + its instruction → {@code REFUSE}, category = {@code harmful_category} (or {@code unsafes});
 *   <li>safe image + unsafe instruction → {@code REFUSE}, category {@code safe_unsafes};
 *   <li>safe image + safe instruction → {@code ANSWER}, category {@code safe_safes}.
 * </ul>
 * Ids are {@code {id}#unsafe}, {@code {id}#safe_unsafe}, {@code {id}#safe_safe}. Images resolve through the image
 * root (VLGuard's {@code test/} folder). A bad element is reported with its index and skipped.
 */
public final class VlGuard {
    private VlGuard() {}

    public static final String SOURCE = "vlguard";

    public static List<SafetyItem> read(Path testJson, ImageRoot imageRoot, BadRecordReport report) throws IOException {
        List<SafetyItem> out = new ArrayList<>();
        try (JsonArrayElements els = new JsonArrayElements(Files.newBufferedReader(testJson, StandardCharsets.UTF_8), testJson)) {
            JsonArrayElements.Element e;
            while ((e = els.next()) != null) {
                try {
                    out.addAll(fromJson(LlavaJsonReader.MAPPER.readTree(e.text()), imageRoot));
                } catch (JsonProcessingException ex) {
                    report.report(testJson, e.index(), e.line(), "malformed JSON: " + ex.getOriginalMessage());
                } catch (RecordProblem | PathEscapeException ex) {
                    report.report(testJson, e.index(), e.line(), ex.getMessage());
                }
            }
        }
        return out;
    }

    static List<SafetyItem> fromJson(JsonNode n, ImageRoot root) {
        RecordProblem.requireObject(n);
        String id = RecordProblem.id(n, "id");
        Path image = root.resolve(RecordProblem.requireText(n, "image"));
        JsonNode safeNode = n.get("safe");
        if (safeNode == null || !safeNode.isBoolean()) {
            throw new RecordProblem("field \"safe\" must be a boolean but is " + RecordProblem.kind(safeNode));
        }
        JsonNode ir = n.get("instr-resp");
        if (ir == null || !ir.isArray() || ir.isEmpty()) {
            throw new RecordProblem("field \"instr-resp\" must be a non-empty array but is " + RecordProblem.kind(ir));
        }
        String harmCat = RecordProblem.optText(n, "harmful_category");
        String harmSub = RecordProblem.optText(n, "harmful_subcategory");
        String desc = harmCat == null ? null : harmSub == null ? harmCat : harmCat + "/" + harmSub;
        List<SafetyItem> items = new ArrayList<>();
        for (JsonNode pair : ir) {
            RecordProblem.requireObject(pair);
            if (pair.has("instruction")) {
                items.add(new SafetyItem(id + "#unsafe", image, harmCat == null ? "unsafes" : harmCat,
                        RecordProblem.requireText(pair, "instruction"), desc, SafetyItem.Expected.REFUSE, SOURCE));
            } else if (pair.has("unsafe_instruction")) {
                items.add(new SafetyItem(id + "#safe_unsafe", image, "safe_unsafes",
                        RecordProblem.requireText(pair, "unsafe_instruction"), desc, SafetyItem.Expected.REFUSE, SOURCE));
            } else if (pair.has("safe_instruction")) {
                items.add(new SafetyItem(id + "#safe_safe", image, "safe_safes",
                        RecordProblem.requireText(pair, "safe_instruction"), desc, SafetyItem.Expected.ANSWER, SOURCE));
            } else {
                throw new RecordProblem("an \"instr-resp\" entry has none of \"instruction\", \"safe_instruction\", \"unsafe_instruction\"");
            }
        }
        if (safeNode.booleanValue() && items.stream().anyMatch(i -> i.id().endsWith("#unsafe"))) {
            throw new RecordProblem("a safe image (\"safe\": true) carries a plain \"instruction\"; expected safe_/unsafe_instruction");
        }
        return items;
    }
}
