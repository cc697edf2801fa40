package dev.multiverse.contract;

import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens a model on one kind of device. Implementations are found with {@link ServiceLoader}: a
 * backend module lists its factory in {@code META-INF/services/dev.multiverse.contract.BackendFactory},
 * and being on the class path is all it takes for {@code --device} to reach it.
 */
public interface BackendFactory {

    /** The device this factory opens models on. */
    BackendKind kind();

    /**
     * A backend for the model with {@code slotCapacity} KV slots. It takes over {@code store} and
     * closes it with itself (also when opening fails).
     *
     * @param threads CPU threads to use (0 = all cores); backends that do not compute on the CPU ignore it
     */
    Backend open(ModelConfig config, WeightStore store, int slotCapacity, int threads);

    /**
     * A backend for a model of {@code config}'s shape with random weights from {@code seed}, no
     * files: for benchmarks at full size. Backends that cannot make them refuse.
     *
     * @throws UnsupportedOperationException if this backend has no random weights
     */
    default Backend openRandom(ModelConfig config, long seed, int slotCapacity, int threads) {
        throw new UnsupportedOperationException("random weights are made by the cuda backend only");
    }

    /** The factory for {@code kind} on the class path, if any. */
    static Optional<BackendFactory> find(BackendKind kind) {
        for (BackendFactory f : ServiceLoader.load(BackendFactory.class)) if (f.kind() == kind) return Optional.of(f);
        return Optional.empty();
    }
}
