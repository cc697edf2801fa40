package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Damage at the level of a safetensors header's JSON structure, as {@link Mutation}s. */
final class HeaderEdits {
    private static final String[] ODD_VALUES = {
        "-1", "0", "1", "7", "9223372036854775807", "18446744073709551616", "-9223372036854775808", "1.0",
        "1e3", "\"1\"", "null", "true", "[]", "[0]", "[1,0]", "[0,0,0]", "[0,9223372036854775807]",
        "[4294967296,4294967296]", "[-1]", "{}", "\"F32\"", "\"BF16\"", "\"F4\"", "\"X\"", "[1.5]",
    };

    private HeaderEdits() {
    }

    static Mutation random(Random r, String headerText) {
        ObjectNode header;
        try {
            header = (ObjectNode) Json.MAPPER.readTree(headerText);
        } catch (Exception e) {
            throw new IllegalStateException("the valid file's header did not parse", e);
        }
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        boolean fixLength = r.nextInt(8) != 0;
        if (names.isEmpty()) {
            header.set("t", parse(ODD_VALUES[r.nextInt(ODD_VALUES.length)]));
            return new Mutation.ReplaceHeader("added tensor t to an empty header", header.toString(), fixLength);
        }
        String name = names.get(r.nextInt(names.size()));
        JsonNode entry = header.get(name);
        String[] fields = {"dtype", "shape", "data_offsets"};
        String field = fields[r.nextInt(fields.length)];
        String description;
        switch (r.nextInt(7)) {
            case 0 -> {
                String value = ODD_VALUES[r.nextInt(ODD_VALUES.length)];
                ((ObjectNode) entry).set(field, parse(value));
                description = name + "." + field + " = " + value;
            }
            case 1 -> {
                JsonNode arr = entry.get(field);
                if (arr instanceof ArrayNode a && !a.isEmpty()) {
                    int i = r.nextInt(a.size());
                    long delta = r.nextInt(17) - 8;
                    a.set(i, a.get(i).isNumber() ? a.numberNode(a.get(i).asLong() + delta) : parse("0"));
                    description = name + "." + field + "[" + i + "] += " + delta;
                } else {
                    ((ObjectNode) entry).put("dtype", DType.values()[r.nextInt(DType.values().length)].name());
                    description = name + ".dtype changed";
                }
            }
            case 2 -> {
                ((ObjectNode) entry).remove(field);
                description = "removed " + name + "." + field;
            }
            case 3 -> {
                String dtype = DType.values()[r.nextInt(DType.values().length)].name();
                ((ObjectNode) entry).put("dtype", dtype);
                description = name + ".dtype = " + dtype;
            }
            case 4 -> {
                String other = names.get(r.nextInt(names.size()));
                JsonNode swap = header.get(other).get("data_offsets");
                ((ObjectNode) header.get(other)).set("data_offsets", entry.get("data_offsets"));
                ((ObjectNode) entry).set("data_offsets", swap);
                description = "swapped data_offsets of " + name + " and " + other;
            }
            case 5 -> {
                header.set(name, parse(ODD_VALUES[r.nextInt(ODD_VALUES.length)]));
                description = "replaced entry " + name;
            }
            default -> {
                // Jackson cannot build a duplicate key, so splice the text: {"name": {...}, <rest>
                String copy = Json.MAPPER.valueToTree(name).toString() + ":" + entry + ",";
                return new Mutation.ReplaceHeader("duplicated entry " + name,
                        "{" + copy + header.toString().substring(1), fixLength);
            }
        }
        return new Mutation.ReplaceHeader(description, header.toString(), fixLength);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }
}
