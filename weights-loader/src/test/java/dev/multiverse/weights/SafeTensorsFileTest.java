package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading well-formed files whose bytes the test spells out by hand (no writer involved). */
class SafeTensorsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsF32Bf16F16AndI32FromAHandMadeFile() throws Exception {
        // a: F32 [2] = {1.0, -2.5}; b: BF16 [2] = {1.0 (0x3F80), -2.5 (0xC020)};
        // c: F16 [3] = {1.0 (0x3C00), 65504 (0x7BFF), smallest subnormal 2^-24 (0x0001)}; d: I32 [] = 7
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[12,18]},"
                + "\"d\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[18,22]}}";
        byte[] data = concat(RawFiles.f32(1.0f, -2.5f), RawFiles.u16(0x3F80, 0xC020),
                RawFiles.u16(0x3C00, 0x7BFF, 0x0001), new byte[] {7, 0, 0, 0});
        Path file = RawFiles.write(dir, "m.safetensors", RawFiles.safetensors(header, data));

        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(List.of("a", "b", "c", "d"), List.copyOf(f.names()));
            assertEquals(Map.of("format", "pt"), f.metadata());
            Tensor a = f.tensor("a");
            assertEquals(DType.F32, a.dtype());
            assertArrayEquals(new long[] {2}, a.shape());
            assertEquals(-2.5f, a.getFloat(1));
            assertArrayEquals(new float[] {1.0f, -2.5f}, f.tensor("b").toFloatArray());
            assertArrayEquals(new float[] {1.0f, 65504f, 0x1p-24f}, f.tensor("c").toFloatArray());
            Tensor d = f.tensor("d");
            assertEquals(1, d.elementCount());
            assertEquals(4, d.data().byteSize());
            assertEquals(7, d.data().get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            IllegalStateException notFloat = assertThrows(IllegalStateException.class, () -> d.getFloat(0));
            assertTrue(notFloat.getMessage().contains("d") && notFloat.getMessage().contains("I32"),
                    notFloat.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.getFloat(2));
            assertTrue(a.data().isReadOnly());
            WeightsFormatException missing = assertThrows(WeightsFormatException.class, () -> f.tensor("zz"));
            assertEquals("zz", missing.tensor());
        }
    }

    @Test
    void copyFloatsCopiesASubRangeAndChecksBounds() throws Exception {
        String header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}";
        Path file = RawFiles.write(dir, "w.safetensors",
                RawFiles.safetensors(header, RawFiles.u16(0x3F80, 0x4000, 0x4040, 0x4080)));
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            float[] dst = new float[4];
            f.tensor("w").copyFloats(1, dst, 1, 3);
            assertArrayEquals(new float[] {0f, 2f, 3f, 4f}, dst);
            assertThrows(IndexOutOfBoundsException.class, () -> f.tensor("w").copyFloats(2, dst, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> f.tensor("w").copyFloats(0, dst, 2, 3));
        }
    }

    @Test
    void emptyTensorsAndAnEmptyHeaderAreValid() throws Exception {
        // The format allows a dimension of 0 (no bytes) and a file with no tensors at all.
        String header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}  ";
        Path file = RawFiles.write(dir, "e.safetensors", RawFiles.safetensors(header, RawFiles.f32(3f)));
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(0, f.tensor("e").elementCount());
            assertEquals(3f, f.tensor("s").getFloat(0));
        }
        Path none = RawFiles.write(dir, "none.safetensors",
                RawFiles.safetensors("{\"__metadata__\":null}", new byte[0]));
        try (SafeTensorsFile f = SafeTensorsFile.open(none)) {
            assertTrue(f.names().isEmpty());
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void tensorsBecomeUnusableAfterClose() throws Exception {
        Path file = RawFiles.write(dir, "c.safetensors", RawFiles.safetensors(
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", RawFiles.f32(1f)));
        Tensor x;
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            x = f.tensor("x");
        }
        assertThrows(IllegalStateException.class, () -> x.getFloat(0));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
