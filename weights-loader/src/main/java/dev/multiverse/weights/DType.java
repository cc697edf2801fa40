package dev.multiverse.weights;

/**
 * The element types a safetensors header may name, spelled exactly as in the header's {@code "dtype"}
 * field. Only byte-addressable types are listed; the sub-byte formats ({@code F4}, {@code F6_E2M3},
 * {@code F6_E3M2}) are recognised by {@link #parse} and refused, since a tensor of them has no
 * per-element byte size.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8), C64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link Tensor#getFloat} can widen this type to float: F32, F16 and BF16. */
    public boolean isFloatReadable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /**
     * The dtype a safetensors header names.
     *
     * @throws IllegalArgumentException for a name that is not a byte-addressable safetensors dtype;
     *     the message says whether the name is a known sub-byte type or unknown altogether
     */
    public static DType parse(String safetensorsName) {
        if (safetensorsName == null) {
            throw new IllegalArgumentException("dtype is null");
        }
        for (DType t : values()) {
            if (t.name().equals(safetensorsName)) {
                return t;
            }
        }
        switch (safetensorsName) {
            case "F4", "F6_E2M3", "F6_E3M2" -> throw new IllegalArgumentException(
                    "sub-byte dtype \"" + safetensorsName + "\" is not supported");
            default -> throw new IllegalArgumentException("unknown dtype \"" + safetensorsName + "\"");
        }
    }
}
