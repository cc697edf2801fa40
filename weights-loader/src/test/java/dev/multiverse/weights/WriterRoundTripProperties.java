package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Writer then reader gives back exactly what was written: the same names, dtypes, shapes and bytes,
 * and for float dtypes the values narrowed by round-to-nearest-even (checked both against
 * {@link FloatConversions} and against the independent {@link NearestOracle}); single files and
 * shards alike.
 */
class WriterRoundTripProperties {

    @Property(tries = 200)
    void singleFileRoundTrip(@ForAll long seed) throws Exception {
        List<RandomTensors.Spec> specs = RandomTensors.randomSet(new Random(seed), 6);
        TempDirs.inFresh(dir -> {
            Path file = dir.resolve("model.safetensors");
            RandomTensors.writer(specs).metadata("format", "pt").write(file);
            try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
                assertEquals(Map.of("format", "pt"), f.metadata());
                assertEquals(names(specs), f.names());
                for (RandomTensors.Spec s : specs) {
                    assertSameTensor(s, f.tensor(s.name()));
                }
            }
            return null;
        });
    }

    @Property(tries = 100)
    void shardedRoundTrip(@ForAll long seed, @ForAll @LongRange(min = 1, max = 200) long maxShardBytes)
            throws Exception {
        List<RandomTensors.Spec> specs = RandomTensors.randomSet(new Random(seed), 8);
        if (specs.isEmpty()) {
            return; // an index with no tensors is refused by design
        }
        TempDirs.inFresh(dir -> {
            RandomTensors.writer(specs).writeSharded(dir, maxShardBytes);
            try (WeightStore store = WeightStore.open(dir)) {
                assertEquals(names(specs), store.names());
                for (RandomTensors.Spec s : specs) {
                    assertSameTensor(s, store.tensor(s.name()));
                }
            }
            return null;
        });
    }

    private static Set<String> names(List<RandomTensors.Spec> specs) {
        return specs.stream().map(RandomTensors.Spec::name).collect(Collectors.toSet());
    }

    static void assertSameTensor(RandomTensors.Spec s, Tensor t) {
        assertEquals(s.dtype(), t.dtype(), s.name());
        assertArrayEquals(s.shape(), t.shape(), s.name());
        assertEquals(s.elementCount(), t.elementCount(), s.name());
        byte[] stored = t.data().toArray(ValueLayout.JAVA_BYTE);
        if (s.raw() != null) {
            assertArrayEquals(s.raw(), stored, s.name());
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        float[] bulk = t.toFloatArray();
        for (int i = 0; i < s.floats().length; i++) {
            float v = s.floats()[i];
            float expected;
            switch (s.dtype()) {
                case F32 -> {
                    assertEquals(Float.floatToRawIntBits(v), b.getInt(4 * i), s.name());
                    expected = v;
                }
                case BF16 -> {
                    short bits = b.getShort(2 * i);
                    assertEquals(FloatConversions.floatToBf16(v), bits, s.name());
                    if (!Float.isNaN(v)) {
                        NearestOracle.BF16.check(v, bits);
                    }
                    expected = FloatConversions.bf16ToFloat(bits);
                }
                default -> {
                    short bits = b.getShort(2 * i);
                    assertEquals(FloatConversions.floatToF16(v), bits, s.name());
                    if (!Float.isNaN(v)) {
                        NearestOracle.F16.check(v, bits);
                    }
                    expected = FloatConversions.f16ToFloat(bits);
                }
            }
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(t.getFloat(i)), s.name());
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(bulk[i]), s.name());
        }
    }
}
