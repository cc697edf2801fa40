package dev.multiverse.cuda;

import dev.multiverse.model.Backend;
import dev.multiverse.model.BackendFactory;
import dev.multiverse.model.BackendKind;
import dev.multiverse.reference.Qwen2Weights;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;

/**
 * {@link BackendKind#CUDA}: the weights are copied to GPU 0 (or {@code MULTIVERSE_CUDA_DEVICE})
 * with a progress bar on standard error, then unmapped.
 */
public final class CudaBackendFactory implements BackendFactory {

    @Override
    public BackendKind kind() {
        return BackendKind.CUDA;
    }

    @Override
    public Backend open(ModelConfig config, WeightStore store, int slotCapacity, int threads) {
        try (store) {
            String ordinal = System.getenv("MULTIVERSE_CUDA_DEVICE");
            return CudaBackend.upload(Qwen2Weights.from(store, config), ordinal == null ? 0 : Integer.parseInt(ordinal.trim()),
                    slotCapacity, System.err);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
