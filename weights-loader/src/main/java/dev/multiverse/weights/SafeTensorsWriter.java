package dev.multiverse.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds safetensors files: one file, or shards plus {@code model.safetensors.index.json} as
 * transformers writes them. Used to make test models and fixtures. Tensors are laid out by
 * descending element size (then in the order added), so every tensor starts at a multiple of its
 * element size; the header is padded with spaces to a multiple of 8 bytes.
 */
public final class SafeTensorsWriter {
    private record Pending(String name, DType dtype, long[] shape, byte[] bytes) {
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /**
     * Adds a float tensor stored as {@code dtype} (F32, F16 or BF16), narrowing each value with
     * round-to-nearest-even.
     */
    public SafeTensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
        if (!dtype.isFloatReadable()) {
            throw new IllegalArgumentException("tensor " + name + ": float values cannot be stored as " + dtype);
        }
        checkCount(name, shape, values.length);
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> bytes.putFloat(v);
                case F16 -> bytes.putShort(FloatConversions.floatToF16(v));
                default -> bytes.putShort(FloatConversions.floatToBf16(v));
            }
        }
        return put(new Pending(name, dtype, shape.clone(), bytes.array()));
    }

    /** Adds a tensor of any dtype from its raw little-endian bytes. */
    public SafeTensorsWriter add(String name, DType dtype, long[] shape, byte[] rawLittleEndian) {
        if (rawLittleEndian.length % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": " + rawLittleEndian.length
                    + " bytes is not a whole number of " + dtype + " elements");
        }
        checkCount(name, shape, rawLittleEndian.length / dtype.byteSize());
        return put(new Pending(name, dtype, shape.clone(), rawLittleEndian.clone()));
    }

    /** Adds a {@code __metadata__} entry (written into every file). */
    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Writes all tensors to one file. */
    public void write(Path file) throws IOException {
        writeFile(file, layoutOrder());
    }

    /**
     * Writes shards {@code model-0000i-of-0000n.safetensors} into {@code dir}, each holding at most
     * {@code maxShardBytes} of tensor data (a larger tensor gets a shard of its own), and the index
     * {@code model.safetensors.index.json} mapping each tensor to its shard.
     */
    public void writeSharded(Path dir, long maxShardBytes) throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        if (tensors.isEmpty()) {
            throw new IllegalStateException("no tensors to shard (an index needs at least one)");
        }
        List<List<Pending>> shards = new ArrayList<>();
        List<Pending> current = new ArrayList<>();
        long currentBytes = 0;
        long totalBytes = 0;
        for (Pending p : layoutOrder()) {
            if (!current.isEmpty() && currentBytes + p.bytes().length > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(p);
            currentBytes += p.bytes().length;
            totalBytes += p.bytes().length;
        }
        shards.add(current);
        Files.createDirectories(dir);
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String shardName = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            writeFile(dir.resolve(shardName), shards.get(i));
            for (Pending p : shards.get(i)) {
                weightMap.put(p.name(), shardName);
            }
        }
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(dir.resolve(ShardIndex.FILE_NAME),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n");
    }

    private SafeTensorsWriter put(Pending p) {
        if (tensors.containsKey(p.name()) || p.name().equals(SafeTensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name " + p.name() + " is already used or reserved");
        }
        tensors.put(p.name(), p);
        return this;
    }

    private static void checkCount(String name, long[] shape, long count) {
        long product = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + ": negative dimension " + d);
            }
            product = Math.multiplyExact(product, d);
        }
        if (product != count) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + java.util.Arrays.toString(shape)
                    + " holds " + product + " elements, got " + count);
        }
    }

    private List<Pending> layoutOrder() {
        List<Pending> order = new ArrayList<>(tensors.values());
        order.sort(Comparator.comparingInt((Pending p) -> p.dtype().byteSize()).reversed());
        return order;
    }

    /** The bytes {@link #write} would write, for tests that work in memory. */
    byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out, layoutOrder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeFile(Path file, List<Pending> contents) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writeTo(out, contents);
        }
    }

    private void writeTo(OutputStream out, List<Pending> contents) throws IOException {
        byte[] header = headerBytes(contents);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (Pending p : contents) {
            out.write(p.bytes());
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data section is aligned. */
    private byte[] headerBytes(List<Pending> contents) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Pending p : contents) {
            ObjectNode entry = root.putObject(p.name());
            entry.put("dtype", p.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : p.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + p.bytes().length);
            offset += p.bytes().length;
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int padding = (8 - json.getBytes(StandardCharsets.UTF_8).length % 8) % 8;
        return (json + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8);
    }
}
