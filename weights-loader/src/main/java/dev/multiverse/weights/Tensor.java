package dev.multiverse.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One named tensor: its dtype, its shape (row-major, outermost first) and a read-only view of exactly
 * its bytes inside a memory-mapped file. Nothing is copied; the view stays valid until the
 * {@link SafeTensorsFile} or {@link WeightStore} that produced it is closed, after which any access
 * throws {@link IllegalStateException}.
 */
public final class Tensor {
    static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long elementCount;
    private final MemorySegment data;

    /**
     * @param data exactly {@code elementCount × dtype.byteSize()} bytes; the caller has checked this
     */
    Tensor(String name, DType dtype, long[] shape, long elementCount, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.elementCount = elementCount;
        this.data = data.asReadOnly();
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** The shape, a fresh copy. An empty array is a scalar (one element). */
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the shape (1 for a scalar, 0 when any dimension is 0). */
    public long elementCount() {
        return elementCount;
    }

    /** Exactly this tensor's bytes, little-endian, read-only. */
    public MemorySegment data() {
        return data;
    }

    /**
     * Element {@code index} (row-major flat index) widened to float.
     *
     * @throws IllegalStateException when the dtype is not F32, F16 or BF16
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, elementCount)}
     */
    public float getFloat(long index) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32_LE, index);
            case BF16 -> FloatConversions.bf16ToFloat(data.getAtIndex(I16_LE, index));
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16_LE, index));
            default -> throw notFloatReadable();
        };
    }

    /**
     * Widens elements {@code [fromIndex, fromIndex + count)} into {@code dst[dstOffset ..]}.
     *
     * @throws IllegalStateException when the dtype is not F32, F16 or BF16
     * @throws IndexOutOfBoundsException when either range is out of bounds
     */
    public void copyFloats(long fromIndex, float[] dst, int dstOffset, int count) {
        if (!dtype.isFloatReadable()) {
            throw notFloatReadable();
        }
        Objects.checkFromIndexSize(fromIndex, count, elementCount);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32_LE, fromIndex * Float.BYTES, dst, dstOffset, count);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = FloatConversions.bf16ToFloat(data.getAtIndex(I16_LE, fromIndex + i));
                }
            }
            default -> { // F16
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(data.getAtIndex(I16_LE, fromIndex + i));
                }
            }
        }
    }

    /** All elements widened to float; for tensors of fewer than 2^31 elements. */
    public float[] toFloatArray() {
        if (elementCount > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + name + " has " + elementCount
                    + " elements, too many for one float[]");
        }
        float[] out = new float[(int) elementCount];
        copyFloats(0, out, 0, out.length);
        return out;
    }

    private IllegalStateException notFloatReadable() {
        return new IllegalStateException("tensor " + name + " has dtype " + dtype
                + ", which cannot be read as float (only F32, F16, BF16)");
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + ", " + java.util.Arrays.toString(shape) + "]";
    }
}
