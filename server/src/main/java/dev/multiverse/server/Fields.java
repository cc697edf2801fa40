package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, range-checked reads of a JSON object's fields. A missing field or JSON null reads as
 * absent (null); a present field of the wrong type or out of range is a 400 naming the field.
 *
 * @param object the object read
 * @param prefix how its fields are named in errors ("" at the top, "multiverse." inside that object)
 */
record Fields(ObjectNode object, String prefix) {

    static Fields of(JsonNode body) {
        if (!(body instanceof ObjectNode o)) throw ApiException.invalid(null, "the body must be a JSON object");
        return new Fields(o, "");
    }

    /** The field's node, or null when absent or JSON null. */
    JsonNode node(String name) {
        JsonNode n = object.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    String name(String field) {
        return prefix + field;
    }

    ApiException wrong(String field, String expected, JsonNode got) {
        return ApiException.invalid(name(field), name(field) + " must be " + expected + ", got " + got);
    }

    Boolean bool(String field) {
        JsonNode n = node(field);
        if (n == null) return null;
        if (!n.isBoolean()) throw wrong(field, "a boolean", n);
        return n.booleanValue();
    }

    String string(String field, int maxLength) {
        JsonNode n = node(field);
        if (n == null) return null;
        if (!n.isTextual()) throw wrong(field, "a string", n);
        if (n.textValue().length() > maxLength) throw wrong(field, "at most " + maxLength + " characters long", n);
        return n.textValue();
    }

    /** An integer in {@code [min, max]}. */
    Long integer(String field, long min, long max) {
        JsonNode n = node(field);
        if (n == null) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong())
            throw wrong(field, "an integer", n);
        long v = n.longValue();
        if (v < min || v > max) throw wrong(field, "an integer in [" + min + ", " + max + "]", n);
        return v;
    }

    Integer intIn(String field, int min, int max) {
        Long v = integer(field, min, max);
        return v == null ? null : v.intValue();
    }

    /** A number in {@code [min, max]} ({@code (min, max]} when {@code openMin}). */
    Double number(String field, double min, boolean openMin, double max) {
        JsonNode n = node(field);
        if (n == null) return null;
        if (!n.isNumber()) throw wrong(field, "a number", n);
        double v = n.doubleValue();
        if (!(openMin ? v > min : v >= min) || !(v <= max) || Double.isNaN(v))
            throw wrong(field, "a number in " + (openMin ? "(" : "[") + min + ", " + max + "]", n);
        return v;
    }

    /** A nested object's fields, or null. */
    Fields object(String field) {
        JsonNode n = node(field);
        if (n == null) return null;
        if (!(n instanceof ObjectNode o)) throw wrong(field, "an object", n);
        return new Fields(o, name(field) + ".");
    }

    /** A string or an array of strings, each non-empty: OpenAI's {@code stop}. */
    List<String> strings(String field, int maxCount) {
        JsonNode n = node(field);
        if (n == null) return List.of();
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.textValue());
        } else if (n.isArray()) {
            if (n.size() > maxCount) throw wrong(field, "at most " + maxCount + " strings", n);
            for (JsonNode s : n) {
                if (!s.isTextual()) throw wrong(field, "a string or an array of strings", n);
                out.add(s.textValue());
            }
        } else {
            throw wrong(field, "a string or an array of strings", n);
        }
        for (String s : out) if (s.isEmpty()) throw wrong(field, "non-empty strings", n);
        return out;
    }

    /** Refuses the field unless it is absent or equals {@code allowed} (a value the engine honours). */
    void onlyIf(String field, String allowedDescription, java.util.function.Predicate<JsonNode> allowed) {
        JsonNode n = node(field);
        if (n != null && !allowed.test(n))
            throw ApiException.invalid(name(field), name(field) + " is not supported by this server except "
                    + allowedDescription + ", got " + n);
    }
}
