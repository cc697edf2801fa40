package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a single safetensors file can be broken, written by hand: every one must be a
 * {@link WeightsFormatException} that names the file, the tensor where one is at fault, and what is
 * wrong.
 */
class HostileFilesTest {
    private static final String OK_ENTRY = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @TempDir
    Path dir;

    private void assertRefused(byte[] bytes, String tensor, String fragment) throws Exception {
        Path file = RawFiles.write(dir, "bad.safetensors", bytes);
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> SafeTensorsFile.open(file));
        assertEquals(file, e.file());
        assertEquals(tensor, e.tensor(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": " + (tensor == null ? "" : "tensor " + tensor + ": ")),
                e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }

    private void assertRefused(String header, byte[] data, String tensor, String fragment) throws Exception {
        assertRefused(RawFiles.safetensors(header, data), tensor, fragment);
    }

    private static byte[] eight() {
        return RawFiles.f32(1f, 2f);
    }

    @Test
    void fileShorterThanTheLengthField() throws Exception {
        assertRefused(new byte[0], null, "shorter than the 8-byte header length");
        assertRefused(new byte[] {2, 0, 0, 0, 0, 0, 0}, null, "7 bytes");
    }

    @Test
    void headerLengthBeyondTheFileOrTheLimit() throws Exception {
        byte[] good = RawFiles.safetensors("{\"w\":" + OK_ENTRY + "}", eight());
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);
        assertRefused(good, null, "beyond the end of the file");
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_001L);
        assertRefused(good, null, "exceeds the limit");
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L); // 2^64 - 1 unsigned
        assertRefused(good, null, "18446744073709551615");
    }

    @Test
    void headerNotUtf8NotJsonOrNotAnObject() throws Exception {
        byte[] badUtf8 = "{\"w\u00ff\":1}".getBytes(StandardCharsets.ISO_8859_1); // lone 0xFF byte
        assertRefused(RawFiles.safetensors(badUtf8, new byte[0]), null, "not valid UTF-8");
        assertRefused("{\"w\":", new byte[0], null, "not valid JSON");
        assertRefused("[1,2]", new byte[0], null, "does not start with '{'");
        assertRefused("", new byte[0], null, "does not start with '{'");
        assertRefused("{} {}", new byte[0], null, "not valid JSON");
        assertRefused("{\"__metadata__\":{\"k\":1}}", new byte[0], null, "is not a string");
        assertRefused("{\"__metadata__\":[]}", new byte[0], null, "__metadata__ is not a JSON object");
    }

    @Test
    void duplicateTensorNamesAreRefused() throws Exception {
        String header = "{\"w\":" + OK_ENTRY + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertRefused(header, RawFiles.f32(1, 2, 3, 4), null, "Duplicate field 'w'");
    }

    @Test
    void missingOrUnknownDtype() throws Exception {
        assertRefused("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", eight(), "w", "dtype is missing");
        assertRefused("{\"w\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", eight(), "w", "not a string");
        assertRefused("{\"w\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", eight(), "w",
                "unknown dtype \"F31\"");
        assertRefused("{\"w\":{\"dtype\":\"F4\",\"shape\":[16],\"data_offsets\":[0,8]}}", eight(), "w",
                "sub-byte dtype");
    }

    @Test
    void badShapes() throws Exception {
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", eight(), "w", "shape is missing");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eight(), "w",
                "shape[0] = -2");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", eight(), "w",
                "shape[0] = 2.0");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", eight(), "w",
                "shape[0]");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,99999999999999999999],\"data_offsets\":[0,8]}}",
                eight(), "w", "shape[1]");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", eight(), "w",
                "not a JSON array");
    }

    @Test
    void shapeProductOverflowIsCaughtNotWrapped() throws Exception {
        // 2^32 * 2^32 wraps to 0 in 64 bits; and 2^62 elements × 4 bytes wraps too.
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}",
                new byte[0], "w", "overflows");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}",
                new byte[0], "w", "overflows");
    }

    @Test
    void badDataOffsets() throws Exception {
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight(), "w", "data_offsets is missing");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", eight(), "w",
                "expected 2");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", eight(), "w",
                "reversed");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", eight(), "w",
                "beyond the data section of 8 bytes");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", eight(), "w",
                "data_offsets[0] = -8");
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight(), "w",
                "needs 12");
    }

    @Test
    void overlapsHolesAndUncoveredBytes() throws Exception {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRefused(overlap, RawFiles.f32(1, 2, 3), "b", "overlap tensor a");
        String hole = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertRefused(hole, RawFiles.f32(1, 2, 3), "b", "hole [4, 8)");
        String late = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRefused(late, eight(), "a", "hole [0, 4)");
        assertRefused("{\"w\":" + OK_ENTRY + "}", RawFiles.f32(1, 2, 3), null, "cover only [0, 8)");
        assertRefused("{}", new byte[] {1}, null, "cover only [0, 0)");
    }

    @Test
    void unexpectedEntryFieldsAndNonObjectEntries() throws Exception {
        assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", eight(), "w",
                "unexpected field \"x\"");
        assertRefused("{\"w\":[1,2]}", eight(), "w", "not a JSON object");
    }

    @Test
    void offsetsNearLongMaxAreRefusedBeforeAnyViewIsMade() throws Exception {
        // Offsets far past the mapping must never reach asSlice (which would throw IndexOutOfBounds).
        assertRefused("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[9223372036854775800,"
                + "9223372036854775807]}}", new byte[0], "w", "reach beyond the data section of 0 bytes");
    }

    @Test
    void deepNestingAndHugeNumbersAreRefusedNotOverflowingTheStack() throws Exception {
        String deep = "{\"w\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertRefused(deep, new byte[0], null, "not valid JSON");
        String longNumber = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(5000)
                + "],\"data_offsets\":[0,0]}}";
        assertRefused(longNumber, new byte[0], null, "not valid JSON");
    }
}
