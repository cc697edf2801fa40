package dev.multiverse.cuda.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The part of the CUDA driver API ({@code libcuda.so.1}) the backend uses, bound by hand through
 * FFM. Handles (contexts, streams, modules, functions, graphs, events) and device pointers are
 * plain {@code long}s. Every call checks its {@code CUresult} and throws {@link CudaException}
 * naming the call and the error ({@code cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY}).
 *
 * <p>The library is found through {@code MULTIVERSE_LIBCUDA}, else the system loader's
 * {@code libcuda.so.1} (the driver installs it there).
 */
public final class CudaDriver {
    private static volatile CudaDriver instance;

    private final NativeLibrary lib;
    private final MethodHandle getErrorName, init, deviceGet, deviceGetCount, deviceGetName, deviceGetAttribute;
    private final MethodHandle primaryCtxRetain, ctxSetCurrent, ctxSynchronize, memGetInfo;
    private final MethodHandle memAlloc, memFree, memHostAlloc, memFreeHost;
    private final MethodHandle memcpyHtoD, memcpyDtoH, memcpyHtoDAsync, memcpyDtoHAsync, memcpyDtoDAsync, memsetD8Async;
    private final MethodHandle moduleLoadData, moduleGetFunction, funcSetAttribute, launchKernel, launchKernelEx;
    private final MethodHandle streamCreate, streamSynchronize, streamBeginCapture, streamEndCapture;
    private final MethodHandle graphInstantiate, graphLaunch, graphExecDestroy, graphDestroy;
    private final MethodHandle eventCreate, eventRecord, eventSynchronize, eventElapsedTime;

    private CudaDriver(NativeLibrary lib) {
        this.lib = lib;
        var i = JAVA_INT;
        var l = JAVA_LONG;
        var p = ADDRESS;
        getErrorName = fn("cuGetErrorName", i, p);
        init = fn("cuInit", i);
        deviceGet = fn("cuDeviceGet", p, i);
        deviceGetCount = fn("cuDeviceGetCount", p);
        deviceGetName = fn("cuDeviceGetName", p, i, i);
        deviceGetAttribute = fn("cuDeviceGetAttribute", p, i, i);
        primaryCtxRetain = fn("cuDevicePrimaryCtxRetain", p, i);
        ctxSetCurrent = fn("cuCtxSetCurrent", l);
        ctxSynchronize = fn("cuCtxSynchronize");
        memGetInfo = fn("cuMemGetInfo_v2", p, p);
        memAlloc = fn("cuMemAlloc_v2", p, l);
        memFree = fn("cuMemFree_v2", l);
        memHostAlloc = fn("cuMemHostAlloc", p, l, i);
        memFreeHost = fn("cuMemFreeHost", p);
        memcpyHtoD = fn("cuMemcpyHtoD_v2", l, p, l);
        memcpyDtoH = fn("cuMemcpyDtoH_v2", p, l, l);
        memcpyHtoDAsync = fn("cuMemcpyHtoDAsync_v2", l, p, l, l);
        memcpyDtoHAsync = fn("cuMemcpyDtoHAsync_v2", p, l, l, l);
        memcpyDtoDAsync = fn("cuMemcpyDtoDAsync_v2", l, l, l, l);
        memsetD8Async = fn("cuMemsetD8Async", l, JAVA_INT, l, l);
        moduleLoadData = fn("cuModuleLoadData", p, p);
        moduleGetFunction = fn("cuModuleGetFunction", p, l, p);
        funcSetAttribute = fn("cuFuncSetAttribute", l, i, i);
        launchKernel = fn("cuLaunchKernel", l, i, i, i, i, i, i, i, l, p, p);
        launchKernelEx = fn("cuLaunchKernelEx", p, l, p, p);
        streamCreate = fn("cuStreamCreate", p, i);
        streamSynchronize = fn("cuStreamSynchronize", l);
        streamBeginCapture = fn("cuStreamBeginCapture_v2", l, i);
        streamEndCapture = fn("cuStreamEndCapture", l, p);
        graphInstantiate = fn("cuGraphInstantiateWithFlags", p, l, l);
        graphLaunch = fn("cuGraphLaunch", l, l);
        graphExecDestroy = fn("cuGraphExecDestroy", l);
        graphDestroy = fn("cuGraphDestroy", l);
        eventCreate = fn("cuEventCreate", p, i);
        eventRecord = fn("cuEventRecord", l, l);
        eventSynchronize = fn("cuEventSynchronize", l);
        eventElapsedTime = fn(lib.has("cuEventElapsedTime_v2") ? "cuEventElapsedTime_v2" : "cuEventElapsedTime", p, l, l);
    }

    /** The driver, loaded and initialised on first use ({@code cuInit(0)}). */
    public static CudaDriver get() {
        CudaDriver d = instance;
        if (d != null) return d;
        synchronized (CudaDriver.class) {
            if (instance == null) {
                var lib = NativeLibrary.open("MULTIVERSE_LIBCUDA", List.of(), List.of("libcuda.so.1", "libcuda.so"));
                d = new CudaDriver(lib);
                d.check("cuInit", d.invoke(d.init, 0));
                instance = d;
            }
            return instance;
        }
    }

    private MethodHandle fn(String name, java.lang.foreign.MemoryLayout... args) {
        return lib.function(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    private int invoke(MethodHandle h, Object... args) {
        return NativeLibrary.callInt(h, args);
    }

    /** Throws unless {@code result} is CUDA_SUCCESS, naming {@code call} and the error. */
    void check(String call, int result) {
        if (result == 0) return;
        String name = "CUresult " + result;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            if ((int) getErrorName.invokeExact(result, out) == 0) {
                name = out.get(ADDRESS, 0).reinterpret(256).getString(0, StandardCharsets.US_ASCII);
            }
        } catch (Throwable ignored) {
            // keep the number
        }
        throw new CudaException(call + ": " + name);
    }

    /**
     * Calls a function whose first parameter is an out-pointer (a handle, a count, an attribute)
     * and returns what it wrote there: 8 zeroed bytes, so an int result reads back as itself.
     */
    private long outLong(String call, MethodHandle h, Object... args) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            Object[] all = new Object[args.length + 1];
            all[0] = out;
            System.arraycopy(args, 0, all, 1, args.length);
            check(call, invoke(h, all));
            return out.get(JAVA_LONG, 0);
        }
    }

    private int outInt(String call, MethodHandle h, Object... args) {
        return (int) outLong(call, h, args);
    }

    // ---- devices and contexts ----

    public int deviceCount() {
        return outInt("cuDeviceGetCount", deviceGetCount);
    }

    public int device(int ordinal) {
        return outInt("cuDeviceGet", deviceGet, ordinal);
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            check("cuDeviceGetName", invoke(deviceGetName, buf, 256, device));
            return buf.getString(0, StandardCharsets.US_ASCII);
        }
    }

    /** {@code cuDeviceGetAttribute}; see {@link DeviceAttribute} for the numbers used here. */
    public int attribute(int device, int attribute) {
        return outInt("cuDeviceGetAttribute(" + attribute + ")", deviceGetAttribute, attribute, device);
    }

    /** Retains the device's primary context and makes it current on this thread. */
    public long usePrimaryContext(int device) {
        long ctx = outLong("cuDevicePrimaryCtxRetain", primaryCtxRetain, device);
        setCurrent(ctx);
        return ctx;
    }

    public void setCurrent(long context) {
        check("cuCtxSetCurrent", invoke(ctxSetCurrent, context));
    }

    public void synchronize() {
        check("cuCtxSynchronize", invoke(ctxSynchronize));
    }

    /** {free, total} device memory in bytes. */
    public long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check("cuMemGetInfo_v2", invoke(memGetInfo, free, total));
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        }
    }

    // ---- memory ----

    public long malloc(long bytes) {
        return outLong("cuMemAlloc_v2(" + bytes + " bytes)", memAlloc, bytes);
    }

    public void free(long devicePointer) {
        check("cuMemFree_v2", invoke(memFree, devicePointer));
    }

    /** Page-locked host memory of {@code bytes}, for fast and asynchronous copies. */
    public MemorySegment mallocHost(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cuMemHostAlloc(" + bytes + " bytes)", invoke(memHostAlloc, out, bytes, 0));
            return out.get(ADDRESS, 0).reinterpret(bytes);
        }
    }

    public void freeHost(MemorySegment host) {
        check("cuMemFreeHost", invoke(memFreeHost, host));
    }

    public void copyToDevice(long dst, MemorySegment src, long bytes) {
        check("cuMemcpyHtoD_v2", invoke(memcpyHtoD, dst, src, bytes));
    }

    public void copyToHost(MemorySegment dst, long src, long bytes) {
        check("cuMemcpyDtoH_v2", invoke(memcpyDtoH, dst, src, bytes));
    }

    public void copyToDeviceAsync(long dst, MemorySegment src, long bytes, long stream) {
        check("cuMemcpyHtoDAsync_v2", invoke(memcpyHtoDAsync, dst, src, bytes, stream));
    }

    public void copyToHostAsync(MemorySegment dst, long src, long bytes, long stream) {
        check("cuMemcpyDtoHAsync_v2", invoke(memcpyDtoHAsync, dst, src, bytes, stream));
    }

    public void copyDeviceAsync(long dst, long src, long bytes, long stream) {
        check("cuMemcpyDtoDAsync_v2", invoke(memcpyDtoDAsync, dst, src, bytes, stream));
    }

    public void zeroAsync(long dst, long bytes, long stream) {
        check("cuMemsetD8Async", invoke(memsetD8Async, dst, 0, bytes, stream));
    }

    // ---- modules and launches ----

    /** Loads a cubin image; returns the module handle. */
    public long loadModule(MemorySegment image) {
        return outLong("cuModuleLoadData", moduleLoadData, image);
    }

    public long function(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            return outLong("cuModuleGetFunction(" + name + ")", moduleGetFunction, module, a.allocateFrom(name));
        }
    }

    /** Lets {@code function} use up to {@code bytes} of dynamic shared memory (attribute 8). */
    public void setMaxDynamicSharedMemory(long function, int bytes) {
        check("cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES=" + bytes + ")", invoke(funcSetAttribute, function, 8, bytes));
    }

    /** {@code cuLaunchKernel}; {@code params} is the {@code void**} array of argument pointers. */
    public void launch(String name, long function, int gridX, int gridY, int gridZ, int blockX, int sharedBytes,
                       long stream, MemorySegment params) {
        int rc;
        try {
            rc = (int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, 1, 1, sharedBytes, stream, params,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw new CudaException("cuLaunchKernel(" + name + "): " + t, t);
        }
        if (rc != 0) check("cuLaunchKernel(" + name + ", grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + blockX
                + ", shared " + sharedBytes + ")", rc);
    }

    /** {@code cuLaunchKernelEx}: {@code config} is a filled {@code CUlaunchConfig} (see LaunchConfig). */
    public void launch(String name, long function, MemorySegment config, MemorySegment params) {
        int rc;
        try {
            rc = (int) launchKernelEx.invokeExact(config, function, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new CudaException("cuLaunchKernelEx(" + name + "): " + t, t);
        }
        if (rc != 0) check("cuLaunchKernelEx(" + name + ")", rc);
    }

    // ---- streams, graphs, events ----

    /** A stream that does not synchronise with the legacy default stream. */
    public long createStream() {
        return outLong("cuStreamCreate", streamCreate, 1);
    }

    public void synchronize(long stream) {
        check("cuStreamSynchronize", invoke(streamSynchronize, stream));
    }

    /** Starts capturing {@code stream}'s work into a graph (thread-local capture mode). */
    public void beginCapture(long stream) {
        check("cuStreamBeginCapture_v2", invoke(streamBeginCapture, stream, 1));
    }

    /** Ends the capture and returns the executable graph. */
    public long endCaptureAndInstantiate(long stream) {
        long graph = endCapture(stream);
        try {
            return outLong("cuGraphInstantiateWithFlags", graphInstantiate, graph, 0L);
        } finally {
            check("cuGraphDestroy", invoke(graphDestroy, graph));
        }
    }

    /** Ends the stream's capture and drops what it captured, instantiating nothing (a capture that failed part way). */
    public void abandonCapture(long stream) {
        check("cuGraphDestroy", invoke(graphDestroy, endCapture(stream)));
    }

    /** Ends the stream's capture: the captured graph, to be destroyed by the caller. */
    private long endCapture(long stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check("cuStreamEndCapture", invoke(streamEndCapture, stream, out));
            return out.get(JAVA_LONG, 0);
        }
    }

    public void launchGraph(long graphExec, long stream) {
        check("cuGraphLaunch", invoke(graphLaunch, graphExec, stream));
    }

    public void destroyGraph(long graphExec) {
        check("cuGraphExecDestroy", invoke(graphExecDestroy, graphExec));
    }

    public long createEvent() {
        return outLong("cuEventCreate", eventCreate, 0);
    }

    public void record(long event, long stream) {
        check("cuEventRecord", invoke(eventRecord, event, stream));
    }

    /** Milliseconds between two recorded events, waiting for the second. */
    public float elapsedMillis(long start, long end) {
        check("cuEventSynchronize", invoke(eventSynchronize, end));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check("cuEventElapsedTime", invoke(eventElapsedTime, out, start, end));
            return out.get(JAVA_FLOAT, 0);
        }
    }

    /** Where the driver library was found. */
    public String library() {
        return lib.description();
    }
}
