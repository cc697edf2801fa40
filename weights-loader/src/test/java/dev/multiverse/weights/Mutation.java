package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One way of damaging a valid safetensors file, as the fuzz tests apply it. Each variant's
 * {@code toString} says exactly what was done, so a failing case can be rebuilt by hand.
 */
sealed interface Mutation {
    byte[] apply(byte[] valid);

    /** Keep only the first {@code length} bytes. */
    record Truncate(int length) implements Mutation {
        public byte[] apply(byte[] valid) {
            return Arrays.copyOf(valid, length);
        }
    }

    /** Flip the listed bits (bit i is byte i/8, bit i%8). */
    record FlipBits(int[] bits) implements Mutation {
        public byte[] apply(byte[] valid) {
            byte[] out = valid.clone();
            for (int bit : bits) {
                out[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            return out;
        }

        @Override
        public String toString() {
            return "FlipBits" + Arrays.toString(bits);
        }
    }

    /** Overwrite one byte, usually inside the header, with a JSON-significant character. */
    record OverwriteByte(int position, byte value) implements Mutation {
        public byte[] apply(byte[] valid) {
            byte[] out = valid.clone();
            out[position] = value;
            return out;
        }
    }

    /** Rewrite the 8-byte header length field. */
    record SetHeaderLength(long value) implements Mutation {
        public byte[] apply(byte[] valid) {
            byte[] out = valid.clone();
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            return out;
        }
    }

    /** Insert bytes at a position (shifts everything after it). */
    record Insert(int position, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] valid) {
            byte[] out = new byte[valid.length + bytes.length];
            System.arraycopy(valid, 0, out, 0, position);
            System.arraycopy(bytes, 0, out, position, bytes.length);
            System.arraycopy(valid, position, out, position + bytes.length, valid.length - position);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[" + position + ", " + Arrays.toString(bytes) + "]";
        }
    }

    /**
     * Replace the header text (an edited field, a removed or added key, a duplicated entry); the
     * length field is updated to match when {@code fixLength}, else left stale.
     */
    record ReplaceHeader(String description, String header, boolean fixLength) implements Mutation {
        public byte[] apply(byte[] valid) {
            long oldLength = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOfRange(valid, (int) (8 + oldLength), valid.length);
            byte[] out = RawFiles.safetensors(h, data);
            if (!fixLength) {
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, oldLength);
            }
            return out;
        }
    }

    /** A random damage to {@code valid}, a well-formed file. */
    static Mutation random(Random r, byte[] valid) {
        int headerLength = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int headerEnd = 8 + headerLength;
        return switch (r.nextInt(7)) {
            case 0 -> new Truncate(r.nextInt(valid.length));
            case 1 -> {
                int[] bits = new int[1 + r.nextInt(4)];
                for (int i = 0; i < bits.length; i++) {
                    // three in four flips land in the length field or the header
                    int limit = r.nextInt(4) == 0 ? valid.length : headerEnd;
                    bits[i] = r.nextInt(limit * 8);
                }
                yield new FlipBits(bits);
            }
            case 2 -> {
                byte[] significant = "{}[]\",:-.0123456789eE tnf\\\u0000".getBytes(StandardCharsets.ISO_8859_1);
                yield new OverwriteByte(8 + r.nextInt(headerLength), significant[r.nextInt(significant.length)]);
            }
            case 3 -> new SetHeaderLength(switch (r.nextInt(5)) {
                case 0 -> headerLength + r.nextInt(17) - 8;
                case 1 -> valid.length - 8 + r.nextInt(3) - 1;
                case 2 -> r.nextLong();
                case 3 -> SafeTensorsHeader.MAX_HEADER_BYTES + r.nextInt(3) - 1;
                default -> r.nextInt(valid.length + 16);
            });
            case 4 -> {
                byte[] bytes = new byte[1 + r.nextInt(8)];
                r.nextBytes(bytes);
                yield new Insert(r.nextInt(valid.length + 1), bytes);
            }
            default -> HeaderEdits.random(r, new String(valid, 8, headerLength, StandardCharsets.UTF_8));
        };
    }

    /** Edits at the level of the header's JSON structure. */
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
                return new ReplaceHeader("added tensor t to an empty header", header.toString(), fixLength);
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
                    return new ReplaceHeader("duplicated entry " + name,
                            "{" + copy + header.toString().substring(1), fixLength);
                }
            }
            return new ReplaceHeader(description, header.toString(), fixLength);
        }

        private static JsonNode parse(String json) {
            try {
                return Json.MAPPER.readTree(json);
            } catch (Exception e) {
                throw new IllegalStateException(json, e);
            }
        }
    }
}
