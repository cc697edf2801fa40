package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** File bookkeeping of the kit: SHA-256 digests, the listing in {@code kit.json}, the total size. */
public final class KitFiles {
    private KitFiles() {}

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Every regular file under {@code root}, as '/'-separated relative paths, sorted. */
    public static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** {@code [{path, bytes, sha256}]} for every file under {@code root}. */
    static ArrayNode listing(Path root) throws IOException {
        ArrayNode out = KitJson.JSON.createArrayNode();
        for (String f : files(root)) {
            Path p = root.resolve(f);
            out.addObject().put("path", f).put("bytes", Files.size(p)).put("sha256", sha256(p));
        }
        return out;
    }

    static long totalBytes(Path root) throws IOException {
        long total = 0;
        for (String f : files(root)) total += Files.size(root.resolve(f));
        return total;
    }
}
