package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.Cublas;
import dev.multiverse.weights.FloatConversions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One device, its kernels and a cuBLAS handle, shared by a test class; plus host-side helpers. */
final class Gpu implements AutoCloseable {
    final CudaDevice device = CudaDevice.open(0);
    final GpuKernels kernels = new GpuKernels(device);
    private final DeviceBuffer workspace = device.allocate(32 << 20);
    final Cublas blas = new Cublas(device.stream(), workspace.pointer(), workspace.bytes());
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    DeviceBuffer floats(float[] values) {
        DeviceBuffer b = track(device.allocate(4L * values.length));
        b.upload(values);
        return b;
    }

    DeviceBuffer ints(int[] values) {
        DeviceBuffer b = track(device.allocate(4L * values.length));
        b.upload(values);
        return b;
    }

    /** values rounded to bf16 on the host and uploaded. */
    DeviceBuffer bf16(float[] values) {
        short[] bits = new short[values.length];
        for (int i = 0; i < bits.length; i++) bits[i] = FloatConversions.floatToBf16(values[i]);
        DeviceBuffer b = track(device.allocate(2L * Math.max(1, values.length)));
        b.upload(java.lang.foreign.MemorySegment.ofArray(bits));
        return b;
    }

    DeviceBuffer zeros(long bytes) {
        DeviceBuffer b = track(device.allocate(bytes));
        device.driver().zeroAsync(b.pointer(), bytes, device.stream());
        return b;
    }

    private DeviceBuffer track(DeviceBuffer b) {
        buffers.add(b);
        return b;
    }

    /** Frees the buffers of one try. */
    void freeBuffers() {
        device.synchronize();
        for (DeviceBuffer b : buffers) b.close();
        buffers.clear();
    }

    static float bf16Round(float v) {
        return FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(v));
    }

    static float[] bf16Round(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = bf16Round(v[i]);
        return out;
    }

    static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (random.nextGaussian() * std);
        return out;
    }

    @Override
    public void close() {
        freeBuffers();
        blas.close();
        workspace.close();
        kernels.close();
        device.close();
    }
}
