package dev.multiverse.reference;

import dev.multiverse.contract.Matrix;
import dev.multiverse.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random weight matrices for kernel tests: the encoded bytes and, independently, their exact values. */
final class TestMatrices {
    private TestMatrices() {}

    /** A matrix together with the float value of each element, as decoded by the test itself. */
    record Encoded(Matrix matrix, float[] values) {}

    /** A random [rows][cols] matrix in {@code encoding}, values roughly N(0, 1). */
    static Encoded random(DType encoding, int rows, int cols, Random random) {
        float[] raw = new float[rows * cols];
        for (int i = 0; i < raw.length; i++) raw[i] = (float) random.nextGaussian();
        return encode(encoding, rows, cols, raw);
    }

    /** Encodes {@code raw} (rounding to the encoding), returning the matrix and the rounded values. */
    static Encoded encode(DType encoding, int rows, int cols, float[] raw) {
        // One spare byte in front makes every element unaligned, as in a safetensors file.
        MemorySegment block = Arena.ofAuto().allocate((long) raw.length * encoding.byteSize() + 1);
        MemorySegment data = block.asSlice(1);
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            switch (encoding) {
                case F32 -> {
                    data.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4L, raw[i]);
                    values[i] = raw[i];
                }
                case BF16 -> {
                    int bits = Float.floatToIntBits(raw[i]);
                    int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16; // round to nearest even
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2L, (short) rounded);
                    values[i] = Float.intBitsToFloat(rounded << 16);
                }
                case F16 -> {
                    short half = Float.floatToFloat16(raw[i]);
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2L, half);
                    values[i] = Float.float16ToFloat(half);
                }
                default -> throw new IllegalArgumentException("not a float dtype: " + encoding);
            }
        }
        return new Encoded(new Matrix(encoding, data, rows, cols), values);
    }

    /** The dtypes the kernels read. */
    static Arbitrary<DType> floatTypes() {
        return Arbitraries.of(DType.F32, DType.F16, DType.BF16);
    }

    static float[] gaussian(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }
}
