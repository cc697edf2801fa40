package dev.multiverse.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The Multiverse Qwen2.5 tokenizer, ours and Hugging Face's (the oracle), loaded once per JVM. */
final class Fixtures {
    private Fixtures() {}

    static final String RESOURCE = "/multiverse-qwen2.5/tokenizer.json.gz";

    /** No special tokens added, no truncation (DJL truncates at 512 tokens unless told otherwise), no padding. */
    static final Map<String, String> HF_OPTIONS = Map.of(
            "addSpecialTokens", "false", "truncation", "false", "padding", "false",
            "modelMaxLength", String.valueOf(Integer.MAX_VALUE));

    private static Tokenizer ours;
    private static HuggingFaceTokenizer hf;

    static synchronized Tokenizer ours() {
        if (ours == null) {
            try (InputStream in = resource()) {
                ours = Tokenizer.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TokenizerFormatException e) {
                throw new AssertionError(e);
            }
        }
        return ours;
    }

    static synchronized HuggingFaceTokenizer hf() {
        if (hf == null) hf = hfFrom(resource());
        return hf;
    }

    /** Hugging Face's tokenizer for a (possibly gzip-compressed) tokenizer.json, adding no special tokens. */
    static HuggingFaceTokenizer hfFrom(InputStream in) {
        try (InputStream json = new GZIPInputStream(in)) {
            return HuggingFaceTokenizer.newInstance(json, HF_OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HuggingFaceTokenizer hfFromJson(String json) {
        try {
            return HuggingFaceTokenizer.newInstance(
                    new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    HF_OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream resource() {
        InputStream in = Fixtures.class.getResourceAsStream(RESOURCE);
        if (in == null) throw new AssertionError("test resource missing: " + RESOURCE);
        return in;
    }

    /** The tokenizer.json text, uncompressed. */
    static String json() {
        try (InputStream in = new GZIPInputStream(resource())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hugging Face's ids for {@code text}, as ints. */
    static int[] hfEncode(String text) {
        long[] ids = hf().encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    static String hfDecode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) longs[i] = ids[i];
        return hf().decode(longs, false);
    }

    /**
     * {@code ../shared/multiverse-traces} relative to the repository root. Fails (never skips) when
     * the folder is absent, since the traces are part of what the tests prove.
     */
    static Path tracesDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new AssertionError("cannot find the repository root (the folder with mvnw)");
        Path traces = dir.resolveSibling("shared").resolve("multiverse-traces");
        if (!Files.isDirectory(traces)) {
            throw new AssertionError("the Multiverse traces are missing: expected the folder " + traces
                    + " (../shared/multiverse-traces beside the repository)");
        }
        return traces;
    }
}
