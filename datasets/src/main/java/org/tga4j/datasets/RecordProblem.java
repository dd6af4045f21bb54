package org.tga4j.datasets;

import com.fasterxml.jackson.databind.JsonNode;

/** Thrown inside a reader when one record is bad; the reader turns it into a {@link BadRecordReport} entry. */
final class RecordProblem extends RuntimeException {
    RecordProblem(String message) {
        super(message, null, false, false);
    }

    static JsonNode requireObject(JsonNode n) {
        if (n == null || !n.isObject()) throw new RecordProblem("expected a JSON object but found " + kind(n));
        return n;
    }

    /** A required text field. Numbers are accepted for ids only, via {@link #id}. */
    static String requireText(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) throw new RecordProblem("missing required field \"" + field + "\"");
        if (!v.isTextual()) throw new RecordProblem("field \"" + field + "\" must be a string but is " + kind(v));
        return v.textValue();
    }

    /** An optional text field: {@code null} when absent or JSON null. */
    static String optText(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new RecordProblem("field \"" + field + "\" must be a string but is " + kind(v));
        return v.textValue();
    }

    /** An id: a string, or an integral number (LLaVA data mixes both), returned as text. */
    static String id(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) throw new RecordProblem("missing required field \"" + field + "\"");
        if (v.isTextual()) return v.textValue();
        if (v.isIntegralNumber()) return v.bigIntegerValue().toString();
        throw new RecordProblem("field \"" + field + "\" must be a string or an integer but is " + kind(v));
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString();
    }
}
