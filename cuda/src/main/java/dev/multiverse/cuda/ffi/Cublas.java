package dev.multiverse.cuda.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One cuBLAS handle, bound through FFM, for the one product the model needs: {@code Y = X · Wᵀ}
 * with bf16 X and W, fp32 accumulation and an fp32 Y. Found through {@code MULTIVERSE_CUBLAS},
 * then the CUDA toolkit's usual folders, then the system loader; its companion {@code libcublasLt}
 * is loaded first from the same folder.
 */
public final class Cublas implements AutoCloseable {
    private static final int OP_N = 0, OP_T = 1;
    private static final int R_32F = 0, R_16BF = 14;
    private static final int COMPUTE_32F = 68;
    private static final int GEMM_DEFAULT = -1;
    private static volatile NativeLibrary library;

    private final MethodHandle gemmEx, statusName, destroy;
    private final long handle;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one, zero;

    /** A handle whose work goes to {@code stream} and uses {@code workspace} ({@code workspaceBytes}) as scratch. */
    public Cublas(long stream, long workspace, long workspaceBytes) {
        NativeLibrary lib = library();
        var p = ADDRESS;
        var i = JAVA_INT;
        var l = JAVA_LONG;
        statusName = lib.function("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        gemmEx = lib.function("cublasGemmEx", FunctionDescriptor.of(i, l, i, i, i, i, i, p, l, i, i, l, i, i, p, l, i, i, i, i));
        destroy = lib.function("cublasDestroy_v2", FunctionDescriptor.of(i, l));
        MethodHandle create = lib.function("cublasCreate_v2", FunctionDescriptor.of(i, p));
        MethodHandle setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(i, l, l));
        MethodHandle setWorkspace = lib.function("cublasSetWorkspace_v2", FunctionDescriptor.of(i, l, l, l));
        MemorySegment out = arena.allocate(JAVA_LONG);
        check("cublasCreate_v2", call(create, out));
        handle = out.get(JAVA_LONG, 0);
        check("cublasSetStream_v2", call(setStream, handle, stream));
        check("cublasSetWorkspace_v2", call(setWorkspace, handle, workspace, workspaceBytes));
        one = arena.allocateFrom(JAVA_FLOAT, 1f);
        zero = arena.allocateFrom(JAVA_FLOAT, 0f);
    }

    private static NativeLibrary library() {
        if (library == null) {
            synchronized (Cublas.class) {
                if (library == null) {
                    List<String> names = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");
                    List<Path> paths = new ArrayList<>();
                    for (String n : names) paths.addAll(NativeLibrary.toolkitPaths(n));
                    String chosen = System.getenv("MULTIVERSE_CUBLAS");
                    // libcublas needs libcublasLt of the same release: load it from the same folder first.
                    List<Path> lt = new ArrayList<>();
                    for (Path p : chosen != null ? List.of(Path.of(chosen)) : paths) {
                        if (Files.isRegularFile(p)) {
                            lt.add(p.resolveSibling(p.getFileName().toString().replace("libcublas", "libcublasLt")));
                            break;
                        }
                    }
                    if (!lt.isEmpty() && Files.isRegularFile(lt.getFirst()))
                        NativeLibrary.open("MULTIVERSE_CUBLASLT", lt, List.of());
                    library = NativeLibrary.open("MULTIVERSE_CUBLAS", paths, names);
                }
            }
        }
        return library;
    }

    private static int call(MethodHandle h, Object... args) {
        return NativeLibrary.callInt(h, args);
    }

    private void check(String call, int status) {
        if (status != 0) throw new CudaException(call + ": " + NativeLibrary.errorName(statusName, status, "cublasStatus " + status));
    }

    /**
     * {@code y[n][out] = x[n][in] · w[out][in]ᵀ}, all row-major: x and w bf16, y fp32. In cuBLAS's
     * column-major terms that is {@code Y(out×n) = Wᵀ · X} with W seen as {@code in×out}.
     */
    public void linear(long x, long w, long y, int n, int in, int out) {
        int rc;
        try {
            rc = (int) gemmEx.invokeExact(handle, OP_T, OP_N, out, n, in, one, w, R_16BF, in, x, R_16BF, in, zero, y, R_32F, out,
                    COMPUTE_32F, GEMM_DEFAULT);
        } catch (Throwable t) {
            throw new CudaException("cublasGemmEx: " + t, t);
        }
        if (rc != 0) check("cublasGemmEx(n=" + n + ", in=" + in + ", out=" + out + ")", rc);
    }

    @Override
    public void close() {
        check("cublasDestroy_v2", call(destroy, handle));
        arena.close();
    }
}
