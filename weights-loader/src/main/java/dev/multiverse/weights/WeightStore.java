package dev.multiverse.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weights of one model directory: either a single {@code model.safetensors}, or
 * {@code model.safetensors.index.json} plus the shard files it names (the same choice, in the same
 * order, as transformers makes). Every shard is mapped into one arena, released by {@link #close}.
 * Opening checks everything: each shard's header, that every tensor of the index is in the shard it
 * names, and that no shard holds a tensor the index does not list.
 */
public final class WeightStore implements AutoCloseable {
    static final String SINGLE_FILE = "model.safetensors";

    private final Path modelDir;
    private final Arena arena;
    private final Map<String, Tensor> tensors;

    private WeightStore(Path modelDir, Arena arena, Map<String, Tensor> tensors) {
        this.modelDir = modelDir;
        this.arena = arena;
        this.tensors = tensors;
    }

    /** Opens the weights in {@code modelDir}. */
    public static WeightStore open(Path modelDir) throws WeightsFormatException, IOException {
        Path single = modelDir.resolve(SINGLE_FILE);
        Path index = modelDir.resolve(ShardIndex.FILE_NAME);
        if (!Files.isDirectory(modelDir)) {
            throw new WeightsFormatException(modelDir, null, "not a directory");
        }
        Arena arena = Arena.ofShared();
        try {
            Map<String, Tensor> tensors;
            if (Files.exists(single)) {
                tensors = new LinkedHashMap<>();
                SafeTensorsFile file = SafeTensorsFile.open(single, arena, false);
                for (String name : file.names()) {
                    tensors.put(name, file.tensor(name));
                }
            } else if (Files.exists(index)) {
                tensors = openShards(ShardIndex.read(index), modelDir, arena);
            } else {
                throw new WeightsFormatException(modelDir, null,
                        "neither " + SINGLE_FILE + " nor " + ShardIndex.FILE_NAME + " is present");
            }
            return new WeightStore(modelDir, arena, Collections.unmodifiableMap(tensors));
        } catch (WeightsFormatException | IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, Tensor> openShards(ShardIndex index, Path modelDir, Arena arena)
            throws WeightsFormatException, IOException {
        Path realDir = modelDir.toRealPath();
        Map<Path, SafeTensorsFile> shards = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Path> kv : index.shardOf().entrySet()) {
            String name = kv.getKey();
            Path shardPath = kv.getValue();
            SafeTensorsFile shard = shards.get(shardPath);
            if (shard == null) {
                shard = openShard(index, realDir, name, shardPath, arena);
                shards.put(shardPath, shard);
            }
            if (!shard.names().contains(name)) {
                throw new WeightsFormatException(shardPath, name,
                        "listed in " + ShardIndex.FILE_NAME + " but absent from this shard");
            }
            tensors.put(name, shard.tensor(name));
        }
        for (SafeTensorsFile shard : shards.values()) {
            for (String name : shard.names()) {
                if (!shard.path().equals(index.shardOf().get(name))) {
                    throw new WeightsFormatException(shard.path(), name, "present in this shard but "
                            + ShardIndex.FILE_NAME + " does not map it here");
                }
            }
        }
        return tensors;
    }

    private static SafeTensorsFile openShard(ShardIndex index, Path realDir, String tensor, Path shardPath,
                                             Arena arena) throws WeightsFormatException, IOException {
        Path real;
        try {
            real = shardPath.toRealPath();
        } catch (NoSuchFileException e) {
            throw new WeightsFormatException(index.indexFile(), tensor, "shard file " + shardPath + " does not exist", e);
        }
        if (!real.startsWith(realDir)) {
            throw new WeightsFormatException(index.indexFile(), tensor, "shard file " + shardPath
                    + " resolves to " + real + ", outside the model directory");
        }
        if (!Files.isRegularFile(real)) {
            throw new WeightsFormatException(index.indexFile(), tensor, "shard " + shardPath + " is not a regular file");
        }
        return SafeTensorsFile.open(shardPath, arena, false);
    }

    /** The model directory this store was opened from. */
    public Path directory() {
        return modelDir;
    }

    /** The tensor called {@code name}; a missing one is an exception naming it and the directory. */
    public Tensor tensor(String name) throws WeightsFormatException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new WeightsFormatException(modelDir, name, "no such tensor in this model ("
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    /** The tensor called {@code name}, if present. */
    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** All tensor names (header order for one file, index order for shards). */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** Releases every mapping; idempotent. Tensors obtained earlier become unusable. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
