package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads a file written by the reference implementation (the {@code safetensors} Python package
 * 0.8.0, via {@code src/test/python/make_reference_fixture.py}); the values below are the ones that
 * script wrote.
 */
class ReferenceFixtureTest {

    @Test
    void readsTheReferenceWritersFile() throws Exception {
        Path file = Path.of(getClass().getResource("/reference/reference.safetensors").toURI());
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "writer", "safetensors 0.8.0"), f.metadata());
            // The reference writer orders by descending alignment, then by name.
            assertEquals(List.of("i64", "empty", "f32", "bf16", "f16", "u8", "flags"), List.copyOf(f.names()));

            Tensor f32 = f.tensor("f32");
            assertArrayEquals(new long[] {2, 3}, f32.shape());
            assertArrayEquals(new float[] {0f, 1f, -2.5f, 3.25f, Float.POSITIVE_INFINITY, -0.0f}, f32.toFloatArray());
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f32.getFloat(5)));

            assertArrayEquals(new float[] {1f, -2.5f, Float.POSITIVE_INFINITY, 0x1p-133f},
                    f.tensor("bf16").toFloatArray());
            assertArrayEquals(new float[] {65504f, 0x1p-24f, -1f, 0.5f}, f.tensor("f16").toFloatArray());

            Tensor i64 = f.tensor("i64");
            assertEquals(DType.I64, i64.dtype());
            assertArrayEquals(new long[0], i64.shape());
            assertEquals(-7L, i64.data().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));

            assertArrayEquals(new byte[] {1, 2, (byte) 255}, f.tensor("u8").data().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(DType.BOOL, f.tensor("flags").dtype());
            assertArrayEquals(new byte[] {1, 0}, f.tensor("flags").data().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, f.tensor("empty").elementCount());
            assertArrayEquals(new long[] {0, 4}, f.tensor("empty").shape());
        }
    }
}
