package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully checked header of one safetensors file.
 *
 * <p>Layout: bytes [0, 8) hold N, an unsigned little-endian 64-bit header length; bytes [8, 8+N) hold a
 * UTF-8 JSON object (starting with '{', possibly padded with trailing spaces) mapping each tensor name
 * to {@code {"dtype", "shape", "data_offsets": [begin, end)}}, plus an optional {@code "__metadata__"}
 * string-to-string map; the rest of the file is the data section, to which the offsets are relative.
 * The format requires the tensors' byte ranges, sorted, to tile the data section exactly: the first
 * begins at 0, each begins where the previous ends, the last ends at the end of the file. Every
 * number is checked here before it is used, so a hostile header cannot produce an out-of-bounds view.
 */
final class SafeTensorsHeader {
    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");
    private static final ValueLayout.OfLong U64_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One tensor's header entry; {@code begin} and {@code end} are relative to the data section. */
    record Entry(String name, DType dtype, long[] shape, long elementCount, long begin, long end) {
    }

    final Map<String, String> metadata;
    /** In header order. */
    final List<Entry> entries;
    /** Absolute file offset of the data section: 8 + N. */
    final long dataStart;

    private SafeTensorsHeader(Map<String, String> metadata, List<Entry> entries, long dataStart) {
        this.metadata = metadata;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    /** Reads and checks the header of {@code whole}, the complete contents of {@code file}. */
    static SafeTensorsHeader read(Path file, MemorySegment whole) throws WeightsFormatException {
        long fileSize = whole.byteSize();
        if (fileSize < 8) {
            throw new WeightsFormatException(file, null,
                    "file is " + fileSize + " bytes, shorter than the 8-byte header length field");
        }
        long n = whole.get(U64_LE, 0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new WeightsFormatException(file, null, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > fileSize - 8) {
            throw new WeightsFormatException(file, null, "header length " + n
                    + " extends beyond the end of the file (" + fileSize + " bytes)");
        }
        byte[] headerBytes = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        if (n == 0 || headerBytes[0] != '{') {
            throw new WeightsFormatException(file, null, "header (byte offset 8) does not start with '{'");
        }
        JsonNode root;
        try {
            root = Json.parse(headerBytes);
        } catch (Json.Malformed e) {
            throw new WeightsFormatException(file, null, "header is " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new WeightsFormatException(file, null, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            if (property.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(file, property.getValue());
            } else {
                entries.add(readEntry(file, property.getKey(), property.getValue(), dataSize));
            }
        }
        checkTiling(file, entries, dataSize);
        return new SafeTensorsHeader(metadata, List.copyOf(entries), dataStart);
    }

    private static Map<String, String> readMetadata(Path file, JsonNode node) throws WeightsFormatException {
        if (node.isNull()) {
            return Map.of(); // the reference implementation reads null as "no metadata"
        }
        if (!node.isObject()) {
            throw new WeightsFormatException(file, null, METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual()) {
                throw new WeightsFormatException(file, null,
                        METADATA_KEY + " value of \"" + kv.getKey() + "\" is not a string");
            }
            metadata.put(kv.getKey(), kv.getValue().textValue());
        }
        return java.util.Collections.unmodifiableMap(metadata);
    }

    private static Entry readEntry(Path file, String name, JsonNode node, long dataSize)
            throws WeightsFormatException {
        if (!node.isObject()) {
            throw new WeightsFormatException(file, name, "header entry is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!ENTRY_FIELDS.contains(field.getKey())) {
                throw new WeightsFormatException(file, name, "unexpected field \"" + field.getKey() + "\"");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new WeightsFormatException(file, name, "dtype is missing or not a string");
        }
        DType dtype;
        try {
            dtype = DType.parse(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new WeightsFormatException(file, name, e.getMessage(), e);
        }
        long[] shape = readLongs(file, name, "shape", node.get("shape"), -1);
        long[] offsets = readLongs(file, name, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        long elementCount;
        long byteLength;
        try {
            elementCount = 1;
            for (long dim : shape) {
                elementCount = Math.multiplyExact(elementCount, dim);
            }
            byteLength = Math.multiplyExact(elementCount, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new WeightsFormatException(file, name, "shape " + Arrays.toString(shape) + " of "
                    + dtype + " overflows a 64-bit byte count");
        }
        if (begin > end) {
            throw new WeightsFormatException(file, name, "data_offsets [" + begin + ", " + end + ") are reversed");
        }
        if (end > dataSize) {
            throw new WeightsFormatException(file, name, "data_offsets [" + begin + ", " + end
                    + ") reach beyond the data section of " + dataSize + " bytes");
        }
        if (end - begin != byteLength) {
            throw new WeightsFormatException(file, name, "data_offsets [" + begin + ", " + end + ") hold "
                    + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + byteLength);
        }
        return new Entry(name, dtype, shape, elementCount, begin, end);
    }

    /** A JSON array of non-negative integers; {@code length} -1 means any length. */
    private static long[] readLongs(Path file, String name, String field, JsonNode node, int length)
            throws WeightsFormatException {
        if (node == null || !node.isArray()) {
            throw new WeightsFormatException(file, name, field + " is missing or not a JSON array");
        }
        if (length >= 0 && node.size() != length) {
            throw new WeightsFormatException(file, name, field + " has " + node.size()
                    + " elements, expected " + length);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!Json.isLong(element) || element.longValue() < 0) {
                throw new WeightsFormatException(file, name, field + "[" + i + "] = " + element
                        + " is not a non-negative 64-bit integer");
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** The sorted byte ranges must cover [0, dataSize) exactly once, with no holes. */
    private static void checkTiling(Path file, List<Entry> entries, long dataSize) throws WeightsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw new WeightsFormatException(file, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
                        + ") overlap tensor " + previous + ", which ends at " + covered);
            }
            if (e.begin() > covered) {
                throw new WeightsFormatException(file, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
                        + ") leave a hole [" + covered + ", " + e.begin() + ") in the data section");
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != dataSize) {
            throw new WeightsFormatException(file, null, "data section has " + dataSize
                    + " bytes but the tensors cover only [0, " + covered + ")");
        }
    }
}
