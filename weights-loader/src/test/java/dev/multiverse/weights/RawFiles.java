package dev.multiverse.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors bytes by hand, so tests can state exactly what a (broken) file holds. */
final class RawFiles {
    private RawFiles() {
    }

    /** 8-byte little-endian length of {@code headerJson}'s UTF-8, the header, then {@code data}. */
    static byte[] safetensors(String headerJson, byte[] data) {
        return safetensors(headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] safetensors(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    /** Little-endian bytes of float32 values. */
    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Little-endian bytes of 16-bit patterns. */
    static byte[] u16(int... patterns) {
        ByteBuffer b = ByteBuffer.allocate(2 * patterns.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : patterns) {
            b.putShort((short) v);
        }
        return b.array();
    }
}
