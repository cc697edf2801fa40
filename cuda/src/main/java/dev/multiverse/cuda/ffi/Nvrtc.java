package dev.multiverse.cuda.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NVRTC, the CUDA run-time compiler, bound through FFM: CUDA C++ source in, a cubin for one GPU
 * architecture out. Found through {@code MULTIVERSE_NVRTC}, then the CUDA toolkit's usual folders
 * ({@code $CUDA_HOME}, {@code /usr/local/cuda*}), then the system loader.
 */
public final class Nvrtc {
    private static volatile Nvrtc instance;

    private final NativeLibrary lib;
    private final MethodHandle errorString, version, create, compile, logSize, log, cubinSize, cubin, destroy;

    private Nvrtc(NativeLibrary lib) {
        this.lib = lib;
        errorString = lib.function("nvrtcGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        version = fn("nvrtcVersion", ADDRESS, ADDRESS);
        create = fn("nvrtcCreateProgram", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compile = fn("nvrtcCompileProgram", JAVA_LONG, JAVA_INT, ADDRESS);
        logSize = fn("nvrtcGetProgramLogSize", JAVA_LONG, ADDRESS);
        log = fn("nvrtcGetProgramLog", JAVA_LONG, ADDRESS);
        cubinSize = fn("nvrtcGetCUBINSize", JAVA_LONG, ADDRESS);
        cubin = fn("nvrtcGetCUBIN", JAVA_LONG, ADDRESS);
        destroy = fn("nvrtcDestroyProgram", ADDRESS);
    }

    /** NVRTC, loaded on first use. */
    public static Nvrtc get() {
        if (instance == null) {
            synchronized (Nvrtc.class) {
                if (instance == null) {
                    List<String> names = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");
                    var paths = new java.util.ArrayList<java.nio.file.Path>();
                    for (String n : names) paths.addAll(NativeLibrary.toolkitPaths(n));
                    instance = new Nvrtc(NativeLibrary.open("MULTIVERSE_NVRTC", paths, names));
                }
            }
        }
        return instance;
    }

    private MethodHandle fn(String name, java.lang.foreign.MemoryLayout... args) {
        return lib.function(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    private int invoke(MethodHandle h, Object... args) {
        return NativeLibrary.callInt(h, args);
    }

    private void check(String call, int result) {
        if (result != 0) throw new CudaException(call + ": " + NativeLibrary.errorName(errorString, result, "nvrtcResult " + result));
    }

    /** "major.minor" of this NVRTC. */
    public String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            check("nvrtcVersion", invoke(version, major, minor));
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        }
    }

    /**
     * Compiles {@code source} (named {@code name} in messages) with {@code options}, for example
     * {@code --gpu-architecture=sm_90}, and returns the cubin.
     *
     * @throws CudaException with the compiler's log when the source does not compile
     */
    public byte[] compileToCubin(String source, String name, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(JAVA_LONG);
            check("nvrtcCreateProgram(" + name + ")",
                    invoke(create, progOut, a.allocateFrom(source), a.allocateFrom(name), 0, MemorySegment.NULL, MemorySegment.NULL));
            long prog = progOut.get(JAVA_LONG, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, options.size());
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
                int rc = invoke(compile, prog, options.size(), opts);
                if (rc != 0) {
                    String text = programLog(a, prog);
                    check("nvrtcCompileProgram(" + name + ", " + String.join(" ", options) + ")\n" + text, rc);
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check("nvrtcGetCUBINSize", invoke(cubinSize, prog, size));
                MemorySegment image = a.allocate(size.get(JAVA_LONG, 0));
                check("nvrtcGetCUBIN", invoke(cubin, prog, image));
                return image.toArray(JAVA_BYTE);
            } finally {
                invoke(destroy, progOut);
            }
        }
    }

    private String programLog(Arena a, long prog) {
        MemorySegment size = a.allocate(JAVA_LONG);
        check("nvrtcGetProgramLogSize", invoke(logSize, prog, size));
        MemorySegment text = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        check("nvrtcGetProgramLog", invoke(log, prog, text));
        return text.getString(0, StandardCharsets.UTF_8);
    }

    /** Where the library was found. */
    public String library() {
        return lib.description();
    }
}
