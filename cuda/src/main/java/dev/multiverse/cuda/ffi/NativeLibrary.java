package dev.multiverse.cuda.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared library opened for the life of the JVM, found in this order: the path in an environment
 * variable (or system property of the same name in lower case with dots), then a list of default
 * places, then the plain file name on the loader's search path.
 */
final class NativeLibrary {
    private final String description;
    private final SymbolLookup symbols;

    private NativeLibrary(String description, SymbolLookup symbols) {
        this.description = description;
        this.symbols = symbols;
    }

    /**
     * Opens a library.
     *
     * @param override the environment variable that names the file, e.g. {@code MULTIVERSE_NVRTC}
     * @param defaults absolute paths tried in order when the variable is unset
     * @param names file names handed to the system loader last, e.g. {@code libnvrtc.so.13}
     * @throws CudaException listing every place tried
     */
    static NativeLibrary open(String override, List<Path> defaults, List<String> names) {
        String chosen = System.getenv(override);
        if (chosen == null) chosen = System.getProperty(override.toLowerCase().replace('_', '.'));
        List<String> tried = new ArrayList<>();
        if (chosen != null && !chosen.isBlank()) {
            try {
                return new NativeLibrary(chosen, SymbolLookup.libraryLookup(Path.of(chosen), Arena.global()));
            } catch (IllegalArgumentException e) {
                throw new CudaException(override + "=" + chosen + " could not be loaded: " + e.getMessage());
            }
        }
        for (Path p : defaults) {
            tried.add(p.toString());
            if (!Files.isRegularFile(p)) continue;
            try {
                return new NativeLibrary(p.toString(), SymbolLookup.libraryLookup(p, Arena.global()));
            } catch (IllegalArgumentException e) {
                tried.set(tried.size() - 1, p + " (" + e.getMessage() + ")");
            }
        }
        for (String name : names) {
            tried.add(name);
            try {
                return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                // not on the loader's path either; try the next name
            }
        }
        throw new CudaException("no " + names.getFirst() + " found; tried " + String.join(", ", tried)
                + "; set " + override + " to its path");
    }

    /** The standard places of a CUDA toolkit library: $CUDA_HOME first, then /usr/local/cuda*. */
    static List<Path> toolkitPaths(String fileName) {
        List<Path> roots = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null) roots.add(Path.of(home));
        roots.add(Path.of("/usr/local/cuda"));
        roots.add(Path.of("/usr/local/cuda-13.0"));
        roots.add(Path.of("/usr/local/cuda-12"));
        List<Path> paths = new ArrayList<>();
        for (Path root : roots) {
            paths.add(root.resolve("targets/x86_64-linux/lib").resolve(fileName));
            paths.add(root.resolve("lib64").resolve(fileName));
        }
        paths.add(Path.of("/usr/lib/x86_64-linux-gnu").resolve(fileName));
        return paths;
    }

    /** A downcall handle to {@code name}; the library must export it. */
    MethodHandle function(String name, FunctionDescriptor descriptor) {
        var symbol = symbols.find(name)
                .orElseThrow(() -> new CudaException(description + " has no function " + name));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }

    /** Whether the library exports {@code name}. */
    boolean has(String name) {
        return symbols.find(name).isPresent();
    }

    /** Calls a downcall that returns an int status; a failure of the call itself becomes a {@link CudaException}. */
    static int callInt(MethodHandle function, Object... args) {
        try {
            return (int) function.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CudaException("native call failed: " + t, t);
        }
    }

    /** The name a library's error-to-string function gives {@code status}, or {@code fallback} if it gives none. */
    static String errorName(MethodHandle toString, int status, String fallback) {
        try {
            MemorySegment text = (MemorySegment) toString.invokeExact(status);
            return text.equals(MemorySegment.NULL) ? fallback : text.reinterpret(256).getString(0, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (Throwable t) {
            return fallback;
        }
    }

    /** Where the library was found. */
    String description() {
        return description;
    }
}
