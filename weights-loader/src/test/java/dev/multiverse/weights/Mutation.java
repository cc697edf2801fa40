package dev.multiverse.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /** A random damage to {@code valid}, a well-formed safetensors file. */
    static Mutation random(Random r, byte[] valid) {
        int headerLength = (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int headerEnd = 8 + headerLength;
        return switch (r.nextInt(6)) {
            case 0, 1, 2 -> byteLevel(r, valid, 8, headerEnd);
            case 3 -> new SetHeaderLength(switch (r.nextInt(5)) {
                case 0 -> headerLength + r.nextInt(17) - 8;
                case 1 -> valid.length - 8 + r.nextInt(3) - 1;
                case 2 -> r.nextLong();
                case 3 -> SafeTensorsHeader.MAX_HEADER_BYTES + r.nextInt(3) - 1;
                default -> r.nextInt(valid.length + 16);
            });
            default -> HeaderEdits.random(r, new String(valid, 8, headerLength, StandardCharsets.UTF_8));
        };
    }

    /**
     * A damage that knows nothing of the format: truncation, bit flips, an overwritten byte or
     * inserted bytes. Three in four flips and every overwrite land in {@code [hotStart, hotEnd)}.
     */
    static Mutation byteLevel(Random r, byte[] valid, int hotStart, int hotEnd) {
        return switch (r.nextInt(4)) {
            case 0 -> new Truncate(r.nextInt(valid.length));
            case 1 -> {
                int[] bits = new int[1 + r.nextInt(4)];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = r.nextInt(4) == 0 ? r.nextInt(valid.length * 8)
                            : hotStart * 8 + r.nextInt((hotEnd - hotStart) * 8);
                }
                yield new FlipBits(bits);
            }
            case 2 -> {
                byte[] significant = "{}[]\",:-./0123456789eE tnf\\\u0000".getBytes(StandardCharsets.ISO_8859_1);
                yield new OverwriteByte(hotStart + r.nextInt(hotEnd - hotStart),
                        significant[r.nextInt(significant.length)]);
            }
            default -> {
                byte[] bytes = new byte[1 + r.nextInt(8)];
                r.nextBytes(bytes);
                yield new Insert(r.nextInt(valid.length + 1), bytes);
            }
        };
    }

    /** Replace the whole content (a structural edit of a JSON document, described). */
    record ReplaceAll(String description, byte[] content) implements Mutation {
        public byte[] apply(byte[] valid) {
            return content.clone();
        }

        @Override
        public String toString() {
            return "ReplaceAll[" + description + "]";
        }
    }
}
