package dev.multiverse.weights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One sharded fuzz case: random tensors written as shards, then the index damaged, either byte by
 * byte or structurally (a weight_map value pointing elsewhere, outside, nowhere; keys removed or
 * added; weight_map replaced).
 */
record IndexFuzzCase(List<RandomTensors.Spec> specs, long maxShardBytes, Mutation mutation) {
    private static final String[] ODD_SHARDS = {
        "../model-00001-of-00001.safetensors", "/etc/passwd", "", ".", "..", "sub/../../x", "missing.safetensors",
        "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
    };

    static IndexFuzzCase random(Random r) {
        List<RandomTensors.Spec> specs = RandomTensors.randomSet(r, 5);
        if (specs.isEmpty()) {
            specs = List.of(new RandomTensors.Spec("w", DType.F32, new long[] {1}, new float[] {1f}, null));
        }
        return new IndexFuzzCase(specs, 1 + r.nextInt(64), null).withMutation(r);
    }

    /** Writes the shards into a fresh {@code dir}, damages the index, checks {@link FuzzOracle}. */
    FuzzOracle.Outcome run(Path dir) throws Exception {
        RandomTensors.writer(specs).writeSharded(dir, maxShardBytes);
        Path index = dir.resolve(ShardIndex.FILE_NAME);
        Files.write(index, mutation.apply(Files.readAllBytes(index)));
        return FuzzOracle.check(dir, this);
    }

    private IndexFuzzCase withMutation(Random r) {
        byte[] valid;
        try {
            Path tmp = Files.createTempDirectory("index");
            try {
                RandomTensors.writer(specs).writeSharded(tmp, maxShardBytes);
                valid = Files.readAllBytes(tmp.resolve(ShardIndex.FILE_NAME));
            } finally {
                TempDirs.delete(tmp);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (r.nextBoolean()) {
            return new IndexFuzzCase(specs, maxShardBytes, Mutation.byteLevel(r, valid, 0, valid.length));
        }
        ObjectNode root;
        try {
            root = (ObjectNode) Json.MAPPER.readTree(valid);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ObjectNode map = (ObjectNode) root.get("weight_map");
        List<String> names = new ArrayList<>();
        map.fieldNames().forEachRemaining(names::add);
        String name = names.get(r.nextInt(names.size()));
        String description = switch (r.nextInt(4)) {
            case 0 -> {
                String shard = ODD_SHARDS[r.nextInt(ODD_SHARDS.length)];
                map.put(name, shard);
                yield name + " -> " + shard;
            }
            case 1 -> {
                map.remove(name);
                yield "removed " + name;
            }
            case 2 -> {
                map.put("extra.weight", map.get(name).textValue());
                yield "added extra.weight in " + map.get(name).textValue();
            }
            default -> {
                root.put("weight_map", r.nextBoolean() ? "x" : null);
                yield "weight_map replaced";
            }
        };
        return new IndexFuzzCase(specs, maxShardBytes,
                new Mutation.ReplaceAll(description, root.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "IndexFuzzCase[" + specs + ", maxShardBytes=" + maxShardBytes + ", " + mutation + "]";
    }
}
