package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of one JSON object of a {@code config.json}, each failure a {@link ModelConfigException}
 * naming the source and the (dotted) field. A JSON {@code null} counts as absent.
 */
final class ConfigFields {
    private final String source;
    private final String prefix;
    private final JsonNode object;

    ConfigFields(String source, String prefix, JsonNode object) {
        this.source = source;
        this.prefix = prefix;
        this.object = object;
    }

    ModelConfigException error(String field, String problem) {
        return new ModelConfigException(source, prefix + field, problem);
    }

    boolean has(String field) {
        JsonNode n = object.get(field);
        return n != null && !n.isNull();
    }

    JsonNode node(String field) {
        return has(field) ? object.get(field) : null;
    }

    /** The nested object {@code field}, or null when absent. */
    ConfigFields object(String field) throws ModelConfigException {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw error(field, "expected a JSON object, got " + n);
        }
        return new ConfigFields(source, prefix + field + ".", n);
    }

    /** A required integer in {@code [1, Integer.MAX_VALUE]}. */
    int positiveInt(String field) throws ModelConfigException {
        if (!has(field)) {
            throw error(field, "missing");
        }
        return positiveInt(field, object.get(field));
    }

    /** An optional integer in {@code [1, Integer.MAX_VALUE]}, or {@code fallback} when absent. */
    int positiveInt(String field, int fallback) throws ModelConfigException {
        return has(field) ? positiveInt(field) : fallback;
    }

    int positiveInt(String field, JsonNode n) throws ModelConfigException {
        int v = nonNegativeInt(field, n);
        if (v == 0) {
            throw error(field, "must be positive, got 0");
        }
        return v;
    }

    int nonNegativeInt(String field, JsonNode n) throws ModelConfigException {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw error(field, "expected a non-negative 32-bit integer, got " + n);
        }
        return n.intValue();
    }

    /** A required finite number greater than zero. */
    double positiveNumber(String field) throws ModelConfigException {
        if (!has(field)) {
            throw error(field, "missing");
        }
        JsonNode n = object.get(field);
        if (!n.isNumber() || !Double.isFinite(n.doubleValue()) || n.doubleValue() <= 0) {
            throw error(field, "expected a finite number > 0, got " + n);
        }
        return n.doubleValue();
    }

    /** An optional string, or {@code fallback} when absent. */
    String string(String field, String fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode n = object.get(field);
        if (!n.isTextual()) {
            throw error(field, "expected a string, got " + n);
        }
        return n.textValue();
    }

    /** An optional boolean, or {@code fallback} when absent. */
    boolean bool(String field, boolean fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode n = object.get(field);
        if (!n.isBoolean()) {
            throw error(field, "expected true or false, got " + n);
        }
        return n.booleanValue();
    }
}
