package dev.multiverse.tokenizer;

/** Bytes given as UTF-8 text are not well-formed UTF-8; the message names the byte offset. */
public final class InvalidUtf8Exception extends IllegalArgumentException {
    private final long byteOffset;

    public InvalidUtf8Exception(long byteOffset, String problem) {
        super("invalid UTF-8 at byte offset " + byteOffset + ": " + problem);
        this.byteOffset = byteOffset;
    }

    /** Offset of the first byte of the ill-formed sequence. */
    public long byteOffset() {
        return byteOffset;
    }
}
