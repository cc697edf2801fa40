package dev.multiverse.cuda;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.BackendFactory;
import dev.multiverse.contract.BackendKind;
import dev.multiverse.contract.Qwen2Weights;
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

    /** Random bf16 weights made on the device (uniform in ±0.02, norms 1): the 32B shape needs no files. */
    @Override
    public Backend openRandom(ModelConfig config, long seed, int slotCapacity, int threads) {
        return CudaBackend.random(config, seed, ordinal(), slotCapacity);
    }

    private static int ordinal() {
        String ordinal = System.getenv("MULTIVERSE_CUDA_DEVICE");
        return ordinal == null ? 0 : Integer.parseInt(ordinal.trim());
    }

    @Override
    public Backend open(ModelConfig config, WeightStore store, int slotCapacity, int threads) {
        try (store) {
            return CudaBackend.upload(Qwen2Weights.from(store, config), ordinal(), slotCapacity, System.err);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
