package dev.multiverse.tokenizer;

import java.util.Arrays;

/**
 * Decodes ids one at a time, as a model produces them. A token may end in the middle of a UTF-8
 * character; those bytes are held until the character is complete. The texts returned by
 * {@link #accept} and then {@link #flush} concatenate to exactly {@link Tokenizer#decode} of all
 * the ids: ill-formed bytes become U+FFFD as soon as they are known to be ill-formed.
 *
 * <p>Not thread-safe: one decoder per stream.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private byte[] pending = new byte[16];
    private int pendingLength;
    private int accepted;

    StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Adds one id and returns the text it completes (possibly empty).
     *
     * @throws IllegalArgumentException when {@code id} is no token (nothing is consumed)
     */
    public String accept(int id) {
        byte[] bytes = tokenizer.bytesOf(id, accepted);
        accepted++;
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        return drain(false);
    }

    /** Ends the stream: returns the text of any bytes still held (an incomplete character becomes U+FFFD). */
    public String flush() {
        return drain(true);
    }

    private String drain(boolean atEnd) {
        StringBuilder out = new StringBuilder(pendingLength);
        int consumed = Utf8.decodeLossy(pending, 0, pendingLength, atEnd, out);
        System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
        pendingLength -= consumed;
        return out.toString();
    }
}
