package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file above 4 GiB (sparse on disk, so it costs no space or time): offsets, byte counts and element
 * indices past 2^31 and 2^32 must all work, which only long arithmetic gives.
 */
class LargeFileTest {
    private static final long BIG_ELEMENTS = (1L << 30) + 3; // F32: 2^32 + 12 bytes

    @Test
    void readsTensorsBeyondFourGigabytes(@TempDir Path dir) throws Exception {
        long bigBytes = BIG_ELEMENTS * 4;
        String header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + BIG_ELEMENTS + "],\"data_offsets\":[0," + bigBytes
                + "]},\"tail\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[" + bigBytes + "," + (bigBytes + 4)
                + "]}}";
        byte[] prefix = RawFiles.safetensors(header, new byte[0]);
        long dataStart = prefix.length;
        Path file = dir.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(dataStart + bigBytes + 4);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(prefix), 0);
            ByteBuffer last = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(42.5f).flip();
            ch.write(last, dataStart + bigBytes - 4);
            ch.write(ByteBuffer.wrap(RawFiles.u16(0x3F80, 0xC020)), dataStart + bigBytes);
        }
        try (WeightStore store = WeightStore.open(dir)) {
            Tensor big = store.tensor("big");
            assertEquals(BIG_ELEMENTS, big.elementCount());
            assertEquals(bigBytes, big.data().byteSize());
            assertEquals(42.5f, big.getFloat(BIG_ELEMENTS - 1));
            assertEquals(0f, big.getFloat((1L << 29) + 7)); // past 2^31 bytes, inside the sparse hole
            float[] dst = new float[2];
            big.copyFloats(BIG_ELEMENTS - 2, dst, 0, 2);
            assertEquals(42.5f, dst[1]);
            Tensor tail = store.tensor("tail");
            assertEquals(1.0f, tail.getFloat(0));
            assertEquals(-2.5f, tail.getFloat(1));
        }
    }
}
