package dev.multiverse.bench;

import dev.multiverse.contract.LayerWeights;
import dev.multiverse.contract.Matrix;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Qwen2 models with random BF16 weights built in off-heap memory, no files: for benchmarks,
 * where only the shapes matter. Values are small (|w| in [2^-8, 2^-6)) so activations stay finite.
 */
final class RandomModels {
    private RandomModels() {}

    /** The Qwen2-0.5B shape (hidden 896, 14/2 heads, intermediate 4864, vocab 151936, tied) with {@code layers} layers. */
    static ModelConfig qwen2HalfB(int layers) {
        return new ModelConfig(896, 4864, layers, 14, 2, 64, 151_936, 1e-6f, 1_000_000.0, 32_768,
                true, DType.BF16, OptionalInt.empty(), new int[] {151_645});
    }

    static Qwen2Weights build(ModelConfig c, Arena arena) {
        var random = new SplitMix(42);
        int d = c.hiddenSize(), m = c.intermediateSize(), qd = c.numHeads() * c.headDim(), kd = c.numKvHeads() * c.headDim();
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            layers.add(new LayerWeights(
                    ones(arena, d),
                    random(arena, random, qd, d), random(arena, random, 1, qd),
                    random(arena, random, kd, d), random(arena, random, 1, kd),
                    random(arena, random, kd, d), random(arena, random, 1, kd),
                    random(arena, random, d, qd),
                    ones(arena, d),
                    random(arena, random, m, d), random(arena, random, m, d), random(arena, random, d, m)));
        }
        Matrix embed = random(arena, random, c.vocabSize(), d);
        Matrix lmHead = c.tieWordEmbeddings() ? embed : random(arena, random, c.vocabSize(), d);
        return new Qwen2Weights(c, embed, layers, ones(arena, d), lmHead);
    }

    /** Bytes a decode step reads: every matrix once (the embedding only through a tied lm_head). */
    static long bytesPerStep(Qwen2Weights w) {
        long bytes = w.lmHead().data().byteSize() + w.finalNorm().data().byteSize();
        for (LayerWeights l : w.layers()) {
            for (Matrix m : products(l)) bytes += m.data().byteSize();
            for (Matrix m : List.of(l.inputNorm(), l.qBias(), l.kBias(), l.vBias(), l.postAttentionNorm())) bytes += m.data().byteSize();
        }
        return bytes;
    }

    /** Multiply-adds of one token's matrix products: every weight matrix, biases and norms left out. */
    static long multiplyAddsPerToken(Qwen2Weights w) {
        long macs = w.lmHead().size();
        for (LayerWeights l : w.layers()) for (Matrix m : products(l)) macs += m.size();
        return macs;
    }

    /** The weight matrices of a layer's products (its norms and biases are vectors). */
    private static List<Matrix> products(LayerWeights l) {
        return List.of(l.q(), l.k(), l.v(), l.o(), l.gate(), l.up(), l.down());
    }

    private static Matrix random(Arena arena, SplitMix random, int rows, int cols) {
        MemorySegment data = arena.allocate((long) rows * cols * 2, 64);
        for (long i = 0; i < (long) rows * cols; i++) {
            long bits = random.next();
            // sign, exponent 119..120 (2^-8 .. 2^-6), 7 random mantissa bits
            int bf16 = (int) ((bits & 0x8000) | ((119 + (bits >>> 16 & 1)) << 7) | (bits >>> 24 & 0x7F));
            data.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) bf16);
        }
        return new Matrix(DType.BF16, data, rows, cols);
    }

    private static Matrix ones(Arena arena, int n) {
        MemorySegment data = arena.allocate(n * 2L, 64);
        for (int i = 0; i < n; i++) data.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) 0x3F80); // bf16 1.0
        return new Matrix(DType.BF16, data, 1, n);
    }

    /** A fast 64-bit generator; quality is irrelevant here, speed of filling a gigabyte is not. */
    private static final class SplitMix {
        private long state;

        SplitMix(long seed) {
            state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
