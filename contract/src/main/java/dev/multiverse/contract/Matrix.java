package dev.multiverse.contract;

import dev.multiverse.weights.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major {@code [rows][cols]} weight matrix read in place from its little-endian bytes (a
 * mapped tensor): nothing is converted or copied; kernels widen F16/BF16 to float as they read. A
 * 1-D tensor (a norm weight, a bias) is a matrix of one row.
 *
 * @param dtype how each element is stored: F32, F16 or BF16
 * @param data exactly {@code rows * cols * dtype.byteSize()} bytes, no alignment required
 */
public record Matrix(DType dtype, MemorySegment data, int rows, int cols) {

    public static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Matrix {
        if (!dtype.isFloatReadable())
            throw new IllegalArgumentException("kernels read F32, F16 or BF16 weights, not " + dtype);
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("matrix shape [" + rows + ", " + cols + "]");
        long expected = (long) rows * cols * dtype.byteSize();
        if (data.byteSize() != expected)
            throw new IllegalArgumentException("a [" + rows + ", " + cols + "] " + dtype + " matrix needs "
                    + expected + " bytes, the data has " + data.byteSize());
    }

    /** Element {@code index} of the row-major data, widened to float. */
    public float get(long index) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, index * 4);
            case BF16 -> Float.intBitsToFloat((data.get(I16_LE, index * 2) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, index * 2));
            default -> throw new AssertionError(dtype); // the constructor admits only the three above
        };
    }

    /** Element {@code [row][col]}, widened to float. */
    public float get(int row, int col) {
        return get((long) row * cols + col);
    }

    /** Copies row {@code row} as floats into {@code dst[offset .. offset + cols)} (an embedding lookup). */
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) row * cols;
        for (int c = 0; c < cols; c++) dst[offset + c] = get(base + c);
    }

    /** The number of elements. */
    public long size() {
        return (long) rows * cols;
    }
}
