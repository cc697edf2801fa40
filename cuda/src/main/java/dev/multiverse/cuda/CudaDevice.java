package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.cuda.ffi.CudaException;
import dev.multiverse.cuda.ffi.DeviceAttribute;

/**
 * One GPU with its primary context current on the creating thread and one stream that all of
 * this backend's work goes to, in order. Not thread-safe: one thread drives a device.
 */
public final class CudaDevice implements AutoCloseable {
    private final CudaDriver cuda;
    private final int device;
    private final long stream, context;
    private Thread currentOn;
    private final String name;
    private final int major, minor, multiprocessors, maxSharedPerBlock;

    private CudaDevice(CudaDriver cuda, int ordinal) {
        this.cuda = cuda;
        this.device = cuda.device(ordinal);
        this.context = cuda.usePrimaryContext(device);
        this.currentOn = Thread.currentThread();
        this.stream = cuda.createStream();
        this.name = cuda.deviceName(device);
        this.major = cuda.attribute(device, DeviceAttribute.COMPUTE_CAPABILITY_MAJOR);
        this.minor = cuda.attribute(device, DeviceAttribute.COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = cuda.attribute(device, DeviceAttribute.MULTIPROCESSOR_COUNT);
        this.maxSharedPerBlock = cuda.attribute(device, DeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
    }

    /** GPU {@code ordinal} (0 = the first), made current on this thread. */
    public static CudaDevice open(int ordinal) {
        CudaDriver cuda = CudaDriver.get();
        int count = cuda.deviceCount();
        if (ordinal < 0 || ordinal >= count)
            throw new CudaException("no CUDA device " + ordinal + ": the driver sees " + count);
        return new CudaDevice(cuda, ordinal);
    }

    /** Whether a CUDA driver and at least one GPU are present (never throws). */
    public static boolean available() {
        try {
            return CudaDriver.get().deviceCount() > 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public CudaDriver driver() {
        return cuda;
    }

    public long stream() {
        return stream;
    }

    /** The compute capability's major number: 9 for Hopper. */
    public int computeCapabilityMajor() {
        return major;
    }

    /** The architecture NVRTC compiles for, e.g. {@code sm_90}. */
    public String architecture() {
        return "sm_" + major + minor;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    /** The most dynamic shared memory one block may ask for, in bytes. */
    public int maxSharedPerBlock() {
        return maxSharedPerBlock;
    }

    /** Makes this device's context current on the calling thread, if it is not already. */
    public void makeCurrent() {
        if (currentOn == Thread.currentThread()) return;
        cuda.setCurrent(context);
        currentOn = Thread.currentThread();
    }

    /** Waits until all queued work is done (and reports its errors). */
    public void synchronize() {
        cuda.synchronize(stream);
    }

    /** A device buffer of {@code bytes}, uninitialised. */
    public DeviceBuffer allocate(long bytes) {
        return new DeviceBuffer(cuda, Math.max(bytes, 1));
    }

    @Override
    public String toString() {
        return name + " (" + architecture() + ", " + multiprocessors + " SMs)";
    }

    @Override
    public void close() {
        cuda.synchronize(stream);
    }
}
