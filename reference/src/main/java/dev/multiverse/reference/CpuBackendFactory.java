package dev.multiverse.reference;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.BackendFactory;
import dev.multiverse.contract.BackendKind;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;

/** {@link BackendKind#CPU}: a {@link CpuBackend} over {@link Qwen2} with the mapped weights. */
public final class CpuBackendFactory implements BackendFactory {

    @Override
    public BackendKind kind() {
        return BackendKind.CPU;
    }

    @Override
    public Backend open(ModelConfig config, WeightStore store, int slotCapacity, int threads) {
        int team = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        try {
            return new CpuBackend(new Qwen2(Qwen2Weights.from(store, config), team), slotCapacity, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        } catch (Exception e) {
            store.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
