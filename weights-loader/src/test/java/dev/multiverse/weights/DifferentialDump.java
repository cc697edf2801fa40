package dev.multiverse.weights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Writes damaged files and this reader's verdict on each, for comparison with the reference
 * safetensors implementation by {@code src/test/python/differential_check.py}. Not part of the
 * normal suite; run with
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl weights-loader verify -Dtest=DifferentialDump \
 *     -Dweights.diff.dir=/tmp/diff -Dweights.diff.count=5000
 * python3 weights-loader/src/test/python/differential_check.py /tmp/diff
 * </pre>
 *
 * Each line of {@code verdicts.jsonl} is {@code {"file", "case", "loaded", "error" | "tensors"}},
 * where tensors maps each name to {@code [dtype, shape, crc32 of its bytes]}.
 */
class DifferentialDump {

    @Test
    void dump() throws Exception {
        Path dir = Path.of(System.getProperty("weights.diff.dir", "target/differential"));
        int count = Integer.getInteger("weights.diff.count", 2000);
        long seed = Long.getLong("weights.diff.seed", 11);
        Files.createDirectories(dir);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("verdicts.jsonl"))) {
            for (int i = 0; i < count; i++) {
                FuzzCase c = FuzzCase.random(new Random(seed * 1_000_003L + i));
                Path file = dir.resolve("case-" + i + ".safetensors");
                Files.write(file, c.mutation().apply(c.valid()));
                out.write(verdict(file, c).toString());
                out.newLine();
            }
        }
    }

    private static ObjectNode verdict(Path file, FuzzCase c) throws Exception {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("file", file.getFileName().toString());
        v.put("case", c.toString());
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            v.put("loaded", true);
            ObjectNode tensors = v.putObject("tensors");
            for (String name : f.names()) {
                Tensor t = f.tensor(name);
                CRC32 crc = new CRC32();
                crc.update(t.data().toArray(ValueLayout.JAVA_BYTE));
                var entry = tensors.putArray(name).add(t.dtype().name());
                var shape = entry.addArray();
                for (long d : t.shape()) {
                    shape.add(d);
                }
                entry.add(crc.getValue());
            }
        } catch (WeightsFormatException e) {
            v.put("loaded", false);
            v.put("error", e.getMessage().substring(e.file().toString().length() + 2));
        }
        return v;
    }
}
