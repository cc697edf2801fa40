package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaException;
import dev.multiverse.cuda.ffi.Nvrtc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns the {@code .cu} resources into a cubin for one architecture with NVRTC, and keeps the
 * result in a disk cache keyed by the SHA-256 of (source, options, NVRTC version), so a second run
 * loads in milliseconds. The cache folder is {@code MULTIVERSE_KERNEL_CACHE}, else
 * {@code ~/.cache/multiverse/kernels}; a cache that cannot be written only costs the compile.
 */
final class KernelCompiler {
    private static final String RESOURCES = "/dev/multiverse/cuda/kernels/";

    private KernelCompiler() {}

    /** The concatenated source of {@code files} (resource names, in order). */
    static String source(List<String> files) {
        StringBuilder all = new StringBuilder();
        for (String f : files) {
            try (InputStream in = KernelCompiler.class.getResourceAsStream(RESOURCES + f)) {
                if (in == null) throw new IllegalStateException("kernel source " + RESOURCES + f + " is missing from the jar");
                all.append("// ---- ").append(f).append(" ----\n");
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    /** The cubin of {@code source} for {@code architecture} (e.g. {@code sm_90}), from the cache or NVRTC. */
    static byte[] cubin(String source, String architecture) {
        Nvrtc nvrtc = Nvrtc.get();
        List<String> options = List.of("--gpu-architecture=" + architecture, "-std=c++17", "--extra-device-vectorization");
        Path cached = cacheFolder().resolve(key(source, options, nvrtc.version()) + ".cubin");
        try {
            if (Files.isRegularFile(cached)) return Files.readAllBytes(cached);
        } catch (IOException e) {
            // unreadable cache entry: compile again
        }
        byte[] image = nvrtc.compileToCubin(source, "multiverse_kernels.cu", options);
        try {
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "kernels", ".tmp");
            Files.write(tmp, image);
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // a read-only home: run without the cache
        }
        return image;
    }

    private static Path cacheFolder() {
        String override = System.getenv("MULTIVERSE_KERNEL_CACHE");
        if (override != null && !override.isBlank()) return Path.of(override);
        return Path.of(System.getProperty("user.home"), ".cache", "multiverse", "kernels");
    }

    private static String key(String source, List<String> options, String nvrtcVersion) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update(("\0" + String.join(" ", options) + "\0" + nvrtcVersion).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new CudaException("SHA-256 is missing from this JDK", e);
        }
    }
}
