package dev.multiverse.cuda;

import dev.multiverse.contract.LayerWeights;
import dev.multiverse.contract.Matrix;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.FloatConversions;
import dev.multiverse.weights.ModelConfig;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Every weight of a Qwen2 model on the device. Matrices are bf16 {@code [out][in]} as Hugging Face
 * stores them; the q, k and v projections are stacked into one {@code [qDim + 2·kvDim][hidden]}
 * matrix and gate and up into one {@code [2·intermediate][hidden]}, so each is one GEMM. Norm
 * weights and biases, small, stay fp32.
 */
public final class GpuWeights implements AutoCloseable {

    /** One decoder layer's device buffers. */
    public record Layer(DeviceBuffer inputNorm, DeviceBuffer qkv, DeviceBuffer qkvBias, DeviceBuffer o,
                        DeviceBuffer postNorm, DeviceBuffer gateUp, DeviceBuffer down) {}

    private final ModelConfig config;
    private final DeviceBuffer embed, finalNorm, lmHead;
    private final List<Layer> layers;
    private final List<DeviceBuffer> owned;

    private GpuWeights(ModelConfig config, DeviceBuffer embed, List<Layer> layers, DeviceBuffer finalNorm, DeviceBuffer lmHead,
                       List<DeviceBuffer> owned) {
        this.config = config;
        this.embed = embed;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.owned = owned;
    }

    public ModelConfig config() {
        return config;
    }

    /** [vocab][hidden] bf16. */
    public DeviceBuffer embed() {
        return embed;
    }

    public Layer layer(int l) {
        return layers.get(l);
    }

    /** [hidden] fp32. */
    public DeviceBuffer finalNorm() {
        return finalNorm;
    }

    /** [vocab][hidden] bf16; the embedding itself when tied. */
    public DeviceBuffer lmHead() {
        return lmHead;
    }

    /**
     * The bytes one forward step reads: every layer, the final norm and the lm_head. An untied
     * embedding is only gathered (a few rows), so it does not count.
     */
    public long bytesPerStep() {
        long total = 0;
        for (DeviceBuffer b : owned) total += b.bytes();
        return lmHead == embed ? total : total - embed.bytes();
    }

    /** Copies mapped weights to {@code device}, converting F32/F16 matrices to bf16; progress bar on {@code progress} (may be null). */
    public static GpuWeights upload(CudaDevice device, Qwen2Weights w, PrintStream progress) {
        ModelConfig c = w.config();
        var up = new Uploader(device, progress, totalBytes(w));
        List<Layer> layers = new ArrayList<>();
        DeviceBuffer embed = up.bf16(w.embedTokens());
        for (LayerWeights lw : w.layers()) {
            layers.add(new Layer(up.f32(lw.inputNorm()), up.bf16(lw.q(), lw.k(), lw.v()),
                    up.f32(lw.qBias(), lw.kBias(), lw.vBias()), up.bf16(lw.o()), up.f32(lw.postAttentionNorm()),
                    up.bf16(lw.gate(), lw.up()), up.bf16(lw.down())));
        }
        DeviceBuffer finalNorm = up.f32(w.finalNorm());
        DeviceBuffer lmHead = w.lmHead() == w.embedTokens() ? embed : up.bf16(w.lmHead());
        up.finish();
        return new GpuWeights(c, embed, layers, finalNorm, lmHead, up.buffers);
    }

    /**
     * Random weights of {@code config}'s shape, made on the device (no host memory, no files):
     * matrices and biases uniform in ±0.02, norm weights 1. For benchmarks at full size.
     */
    public static GpuWeights random(CudaDevice device, GpuKernels kernels, ModelConfig c, long seed) {
        int d = c.hiddenSize(), m = c.intermediateSize(), qd = c.numHeads() * c.headDim(), kd = c.numKvHeads() * c.headDim();
        var fill = new RandomFill(device, kernels, seed);
        DeviceBuffer embed = fill.bf16((long) c.vocabSize() * d);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            layers.add(new Layer(fill.ones(d), fill.bf16((long) (qd + 2 * kd) * d), fill.f32(qd + 2 * kd),
                    fill.bf16((long) d * qd), fill.ones(d), fill.bf16(2L * m * d), fill.bf16((long) d * m)));
        }
        DeviceBuffer finalNorm = fill.ones(d);
        DeviceBuffer lmHead = c.tieWordEmbeddings() ? embed : fill.bf16((long) c.vocabSize() * d);
        device.synchronize();
        return new GpuWeights(c, embed, layers, finalNorm, lmHead, fill.buffers);
    }

    /** New device buffers filled on the device: each random one from the next seed. */
    private static final class RandomFill {
        private static final float SCALE = 0.02f;
        private final CudaDevice device;
        private final GpuKernels kernels;
        private long seed;
        final List<DeviceBuffer> buffers = new ArrayList<>();

        RandomFill(CudaDevice device, GpuKernels kernels, long seed) {
            this.device = device;
            this.kernels = kernels;
            this.seed = seed;
        }

        private DeviceBuffer fill(long count, boolean bf16, float center, float scale) {
            DeviceBuffer b = device.allocate(count * (bf16 ? 2 : 4));
            buffers.add(b);
            kernels.fillUniform(b.pointer(), count, seed++, center, scale, bf16);
            return b;
        }

        DeviceBuffer bf16(long count) {
            return fill(count, true, 0f, SCALE);
        }

        DeviceBuffer f32(long count) {
            return fill(count, false, 0f, SCALE);
        }

        DeviceBuffer ones(long count) {
            return fill(count, false, 1f, 0f);
        }
    }

    private static long totalBytes(Qwen2Weights w) {
        long total = 2 * w.embedTokens().size() + 4 * w.finalNorm().size();
        if (w.lmHead() != w.embedTokens()) total += 2 * w.lmHead().size();
        for (LayerWeights l : w.layers()) {
            for (Matrix m : List.of(l.q(), l.k(), l.v(), l.o(), l.gate(), l.up(), l.down())) total += 2 * m.size();
            for (Matrix m : List.of(l.inputNorm(), l.qBias(), l.kBias(), l.vBias(), l.postAttentionNorm())) total += 4 * m.size();
        }
        return total;
    }

    /** Copies host matrices into new device buffers through one staging buffer, converting on the way. */
    private static final class Uploader {
        private static final long STAGING = 64L << 20;
        private final CudaDevice device;
        private final ProgressBar bar;
        private final MemorySegment staging;
        final List<DeviceBuffer> buffers = new ArrayList<>();

        Uploader(CudaDevice device, PrintStream progress, long total) {
            this.device = device;
            this.bar = new ProgressBar(progress, "weights to " + device, total);
            this.staging = device.driver().mallocHost(STAGING);
        }

        /** The matrices stacked row-wise, as bf16. */
        DeviceBuffer bf16(Matrix... parts) {
            return copy(2, parts);
        }

        /** The vectors concatenated, as fp32. */
        DeviceBuffer f32(Matrix... parts) {
            return copy(4, parts);
        }

        private DeviceBuffer copy(int elementBytes, Matrix... parts) {
            long total = 0;
            for (Matrix m : parts) total += m.size();
            DeviceBuffer out = device.allocate(total * elementBytes);
            buffers.add(out);
            long offset = 0;
            for (Matrix m : parts) {
                long step = STAGING / elementBytes;
                for (long from = 0; from < m.size(); from += step) {
                    long count = Math.min(step, m.size() - from);
                    MemorySegment chunk = staging.asSlice(0, count * elementBytes);
                    if (elementBytes == 2 && m.dtype() == DType.BF16) {
                        chunk.copyFrom(m.data().asSlice(from * 2, count * 2));
                    } else if (elementBytes == 2) {
                        for (long i = 0; i < count; i++)
                            chunk.setAtIndex(ValueLayout.JAVA_SHORT, i, FloatConversions.floatToBf16(m.get(from + i)));
                    } else {
                        for (long i = 0; i < count; i++) chunk.setAtIndex(ValueLayout.JAVA_FLOAT, i, m.get(from + i));
                    }
                    device.driver().copyToDevice(out.at(offset), chunk, count * elementBytes);
                    offset += count * elementBytes;
                    bar.advance(count * elementBytes);
                }
            }
            return out;
        }

        void finish() {
            device.driver().freeHost(staging);
            bar.done();
        }
    }

    @Override
    public void close() {
        for (DeviceBuffer b : owned) b.close();
    }
}
