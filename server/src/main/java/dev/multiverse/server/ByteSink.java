package dev.multiverse.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte buffer that frames are assembled in before one write to a socket. */
final class ByteSink {
    private byte[] bytes = new byte[1024];
    private int size;

    /** Appends one byte (the low 8 bits of {@code b}). */
    ByteSink put(int b) {
        if (size == bytes.length) ensureRoom(1);
        bytes[size++] = (byte) b;
        return this;
    }

    ByteSink put(byte[] b) {
        ensureRoom(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** Makes room for at least {@code n} more bytes. */
    void ensureRoom(int n) {
        if (bytes.length - size < n) bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + n));
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The bytes so far, as a new array. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Writes everything to {@code out} and empties this buffer. */
    void drainTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
        size = 0;
    }
}
