package dev.multiverse.tokenizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;

/**
 * A byte-level BPE tokenizer read from a Hugging Face {@code tokenizer.json} (Qwen2 family), giving
 * the same ids as Hugging Face {@code tokenizers} with {@code add_special_tokens=false}.
 *
 * <p>Encoding, as Hugging Face does it: (1) cut the raw text at added tokens that match raw text
 * (all of Qwen's; special tokens are recognised in text); (2) normalize each remaining run (NFC)
 * and cut it at added tokens that match normalized text; (3) split each run into pieces with
 * Qwen2's pre-tokenizer pattern; (4) run BPE on each piece's UTF-8 bytes. Decoding maps ids back
 * to bytes and reads them as UTF-8, each ill-formed part becoming U+FFFD.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Tokenizer {
    private final Normalization normalization;
    private final Map<String, Integer> modelVocab;
    private final BytePairModel model;
    private final Map<String, AddedToken> addedByContent = new HashMap<>();
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final String[] tokenTexts; // by id; null where no token has the id
    private final byte[][] tokenBytes; // by id: what decoding the id yields
    private final boolean[] special;

    Tokenizer(Normalization normalization, Map<String, Integer> modelVocab, BytePairModel model, List<AddedToken> added) {
        this.normalization = normalization;
        this.modelVocab = modelVocab;
        this.model = model;
        int size = 0;
        for (int id : modelVocab.values()) size = Math.max(size, id + 1);
        for (AddedToken t : added) size = Math.max(size, t.id() + 1);
        tokenTexts = new String[size];
        special = new boolean[size];
        modelVocab.forEach((text, id) -> tokenTexts[id] = text);
        List<Map.Entry<String, AddedToken>> raw = new ArrayList<>();
        List<Map.Entry<String, AddedToken>> normalized = new ArrayList<>();
        for (AddedToken t : added) {
            tokenTexts[t.id()] = t.content();
            special[t.id()] = t.special();
            addedByContent.put(t.content(), t);
            if (t.normalized()) normalized.add(new AbstractMap.SimpleEntry<>(normalization.apply(t.content()), t));
            else raw.add(new AbstractMap.SimpleEntry<>(t.content(), t));
        }
        rawMatcher = new AddedTokenMatcher(raw);
        normalizedMatcher = new AddedTokenMatcher(normalized);
        tokenBytes = new byte[size][];
        for (int id = 0; id < size; id++) if (tokenTexts[id] != null) tokenBytes[id] = ByteLevel.decodeToken(tokenTexts[id]);
    }

    /** Reads a tokenizer.json, plain or gzip-compressed (recognised by its magic bytes). */
    public static Tokenizer load(Path tokenizerJson) throws IOException, TokenizerFormatException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in);
        } catch (TokenizerFormatException e) {
            throw e.in(tokenizerJson.toString());
        }
    }

    /** Reads a tokenizer.json from a stream, plain or gzip-compressed; does not close the stream. */
    public static Tokenizer load(InputStream in) throws IOException, TokenizerFormatException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1F && buffered.read() == 0x8B;
        buffered.reset();
        return TokenizerJsonReader.read(gzip ? new GZIPInputStream(buffered) : buffered);
    }

    /**
     * The token ids of {@code text}; added and special tokens written in the text (such as
     * {@code <|im_start|>} or {@code <Think>}) become their ids.
     *
     * @throws IllegalArgumentException when the text holds an unpaired surrogate (it has no UTF-8 form)
     */
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3 + 8);
        BytePairModel.Workspace ws = new BytePairModel.Workspace();
        for (AddedTokenMatcher.Segment raw : rawMatcher.split(text)) {
            if (raw.token() != null) {
                out.add(raw.token().id());
                continue;
            }
            String normalized = normalization.apply(raw.to() - raw.from() == text.length() ? text : text.substring(raw.from(), raw.to()));
            for (AddedTokenMatcher.Segment segment : normalizedMatcher.split(normalized)) {
                if (segment.token() != null) out.add(segment.token().id());
                else encodePieces(normalized, segment.from(), segment.to(), out, ws);
            }
        }
        return out.toArray();
    }

    /** Splits {@code text[from, to)} into pre-tokenizer pieces and appends the BPE ids of each. */
    private void encodePieces(String text, int from, int to, IntList out, BytePairModel.Workspace ws) {
        int i = from;
        while (i < to) {
            int end = Qwen2PreTokenizer.pieceEnd(text, i, to);
            model.encodeWord(text, i, end, out, ws);
            i = end;
        }
    }

    /**
     * The token ids of UTF-8 text.
     *
     * @throws InvalidUtf8Exception when {@code utf8} is not well-formed UTF-8 (the message gives the byte offset)
     */
    public int[] encodeUtf8(byte[] utf8) {
        return encode(Utf8.decodeStrict(utf8));
    }

    /** The text of {@code ids}; byte sequences that are not valid UTF-8 become U+FFFD, as in Hugging Face. */
    public String decode(int[] ids) {
        byte[] bytes = decodeBytes(ids);
        StringBuilder out = new StringBuilder(bytes.length);
        Utf8.decodeLossy(bytes, 0, bytes.length, true, out);
        return out.toString();
    }

    /**
     * The bytes {@code ids} stand for, concatenated (not necessarily valid UTF-8: a token may hold
     * part of a character).
     *
     * @throws IllegalArgumentException naming the index of the first id that is no token
     */
    public byte[] decodeBytes(int[] ids) {
        int length = 0;
        for (int i = 0; i < ids.length; i++) length += bytesOf(ids[i], i).length;
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < ids.length; i++) {
            byte[] b = tokenBytes[ids[i]];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** The bytes of one token; {@code index} is its place in the caller's sequence, for the error message. */
    byte[] bytesOf(int id, int index) {
        if (!isToken(id)) throw new IllegalArgumentException("token index " + index + ": " + notAToken(id));
        return tokenBytes[id];
    }

    private boolean isToken(int id) {
        return id >= 0 && id < tokenBytes.length && tokenBytes[id] != null;
    }

    private String notAToken(int id) {
        return "id " + id + " is not in the vocabulary (ids are 0.." + (tokenBytes.length - 1) + ")";
    }

    /** The id of the token written {@code tokenText} (an added token's content, or a vocabulary entry such as "Ġthe"). */
    public OptionalInt idOf(String tokenText) {
        AddedToken added = addedByContent.get(tokenText);
        if (added != null) return OptionalInt.of(added.id());
        Integer id = modelVocab.get(tokenText);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * The vocabulary entry for {@code id}: an added token's content, or a BPE token in the
     * byte-level alphabet (a leading space shows as "Ġ").
     *
     * @throws IllegalArgumentException when no token has this id
     */
    public String tokenText(int id) {
        if (!isToken(id)) throw new IllegalArgumentException(notAToken(id));
        return tokenTexts[id];
    }

    /** One more than the largest token id (151677 for the Multiverse Qwen2.5 tokenizer). */
    public int vocabSize() {
        return tokenTexts.length;
    }

    /** True when {@code id} is an added token flagged special (such as {@code <|im_end|>} or the Multiverse tags). */
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /**
     * The ids of the twelve Multiverse control tags.
     *
     * @throws IllegalArgumentException naming the first tag this vocabulary lacks
     */
    public MultiverseTags tags() {
        return MultiverseTags.lookUp(this::idOf);
    }

    /** A decoder that turns ids into text one at a time, never splitting a character. */
    public StreamingDecoder newStreamingDecoder() {
        return new StreamingDecoder(this);
    }
}
