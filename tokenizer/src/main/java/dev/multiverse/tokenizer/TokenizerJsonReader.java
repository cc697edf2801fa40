package dev.multiverse.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face tokenizer.json for byte-level BPE and checks that it asks only for what
 * {@link Tokenizer} implements: the normalizers NFC, NFD, NFKC, NFKD (or a Sequence of them), the
 * Qwen2 Split pre-tokenizer followed by ByteLevel, the ByteLevel decoder, and a BPE model without
 * dropout, byte fallback or subword affixes. Anything else is refused with the field named.
 */
final class TokenizerJsonReader {
    private TokenizerJsonReader() {}

    static Tokenizer read(InputStream in) throws IOException, TokenizerFormatException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ModelSectionReader.ModelSection model = null;
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new TokenizerFormatException("(document)", "not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && name.equals("model")) {
                    model = ModelSectionReader.read(p, mapper);
                } else {
                    root.set(name, mapper.readTree(p));
                }
            }
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException("(document)", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (model == null) throw new TokenizerFormatException("model", "missing or not an object");
        requireNull(root, "truncation");
        requireNull(root, "padding");
        Normalization normalization = normalization(root.get("normalizer"), "normalizer");
        checkPreTokenizer(root.get("pre_tokenizer"));
        checkByteLevel(root.get("decoder"), "decoder", false);
        checkByteLevel(root.get("post_processor"), "post_processor", true);

        JsonNode settings = model.settings();
        String type = settings.path("type").asText("BPE");
        if (!type.equals("BPE")) throw new TokenizerFormatException("model.type", "'" + type + "' is not supported; only BPE is");
        requireNull(settings, "dropout", "model.dropout");
        requireEmpty(settings, "continuing_subword_prefix");
        requireEmpty(settings, "end_of_word_suffix");
        if (settings.path("byte_fallback").asBoolean(false)) {
            throw new TokenizerFormatException("model.byte_fallback", "byte fallback is not supported (byte-level BPE never needs it)");
        }
        if (model.merges() == null) throw new TokenizerFormatException("model.merges", "missing or not an array");
        boolean ignoreMerges = settings.path("ignore_merges").asBoolean(false);
        Map<String, Integer> vocab = model.vocab();
        int[] byteIds = byteIds(vocab);
        MergeTable merges = merges(model.merges(), vocab);
        List<AddedToken> added = addedTokens(root.get("added_tokens"), vocab);
        return new Tokenizer(normalization, vocab, new BytePairModel(byteIds, merges, vocab, ignoreMerges), added);
    }

    private static Normalization normalization(JsonNode node, String field) throws TokenizerFormatException {
        if (node == null || node.isNull()) return new Normalization.None();
        String type = node.path("type").asText("");
        switch (type) {
            case "NFC", "NFD", "NFKC", "NFKD" -> {
                return new Normalization.Form(Normalizer.Form.valueOf(type));
            }
            case "Sequence" -> {
                JsonNode steps = node.get("normalizers");
                if (steps == null || !steps.isArray()) throw new TokenizerFormatException(field + ".normalizers", "missing or not an array");
                List<Normalization> list = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) list.add(normalization(steps.get(i), field + ".normalizers[" + i + "]"));
                return new Normalization.Sequence(List.copyOf(list));
            }
            default -> throw new TokenizerFormatException(field + ".type", "normalizer '" + type
                    + "' is not supported; supported: NFC, NFD, NFKC, NFKD and a Sequence of them");
        }
    }

    private static void checkPreTokenizer(JsonNode node) throws TokenizerFormatException {
        String field = "pre_tokenizer";
        String expected = "a Sequence of Split (Qwen2's pattern, behavior Isolated) and ByteLevel (use_regex false)";
        if (node == null || node.isNull() || !node.path("type").asText().equals("Sequence")) {
            throw new TokenizerFormatException(field, "unsupported pre-tokenizer " + node + "; expected " + expected);
        }
        JsonNode steps = node.path("pretokenizers");
        if (!steps.isArray() || steps.size() != 2) {
            throw new TokenizerFormatException(field + ".pretokenizers", "expected " + expected);
        }
        JsonNode split = steps.get(0);
        String splitField = field + ".pretokenizers[0]";
        if (!split.path("type").asText().equals("Split")) {
            throw new TokenizerFormatException(splitField + ".type", "expected Split, found " + split.path("type"));
        }
        String pattern = split.path("pattern").path("Regex").asText(null);
        if (!Qwen2PreTokenizer.PATTERN.equals(pattern)) {
            throw new TokenizerFormatException(splitField + ".pattern", "only Qwen2's Split regex is implemented, found "
                    + split.path("pattern"));
        }
        if (!split.path("behavior").asText().equals("Isolated") || split.path("invert").asBoolean(false)) {
            throw new TokenizerFormatException(splitField + ".behavior", "only behavior Isolated without invert is supported");
        }
        checkByteLevel(steps.get(1), field + ".pretokenizers[1]", false);
        if (steps.get(1).path("use_regex").asBoolean(true)) {
            throw new TokenizerFormatException(field + ".pretokenizers[1].use_regex", "must be false (the Split step already splits)");
        }
    }

    /** A ByteLevel step: add_prefix_space would change the text, so it must be false. */
    private static void checkByteLevel(JsonNode node, String field, boolean nullAllowed) throws TokenizerFormatException {
        if (node == null || node.isNull()) {
            if (nullAllowed) return;
            throw new TokenizerFormatException(field, "missing; expected ByteLevel");
        }
        if (!node.path("type").asText().equals("ByteLevel")) {
            throw new TokenizerFormatException(field + ".type", "expected ByteLevel, found " + node.path("type"));
        }
        if (node.path("add_prefix_space").asBoolean(false)) {
            throw new TokenizerFormatException(field + ".add_prefix_space", "must be false");
        }
    }

    private static int[] byteIds(Map<String, Integer> vocab) throws TokenizerFormatException {
        int[] ids = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
            if (id == null) {
                throw new TokenizerFormatException("model.vocab", String.format(
                        "no token for byte 0x%02X (\"%c\"): byte-level BPE needs all 256", b, ByteLevel.BYTE_TO_CHAR[b]));
            }
            ids[b] = id;
        }
        return ids;
    }

    private static MergeTable merges(List<String[]> pairs, Map<String, Integer> vocab) throws TokenizerFormatException {
        MergeTable table = new MergeTable(pairs.size());
        for (int rank = 0; rank < pairs.size(); rank++) {
            String field = "model.merges[" + rank + "]";
            String left = pairs.get(rank)[0];
            String right = pairs.get(rank)[1];
            table.put(idIn(vocab, left, field), idIn(vocab, right, field), rank, idIn(vocab, left + right, field));
        }
        return table;
    }

    private static int idIn(Map<String, Integer> vocab, String token, String field) throws TokenizerFormatException {
        Integer id = vocab.get(token);
        if (id == null) throw new TokenizerFormatException(field, "token \"" + token + "\" is not in model.vocab");
        return id;
    }

    /**
     * The added tokens. Hugging Face does not take their ids from the file: it gives each token its
     * id in model.vocab, or else the next id after model.vocab's size and the added ids so far. A
     * file whose ids differ from that would be read differently there, so it is refused.
     */
    private static List<AddedToken> addedTokens(JsonNode node, Map<String, Integer> vocab)
            throws TokenizerFormatException {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw new TokenizerFormatException("added_tokens", "not an array");
        List<AddedToken> tokens = new ArrayList<>();
        java.util.Set<String> contents = new java.util.HashSet<>();
        int nextNewId = vocab.size();
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String field = "added_tokens[" + i + "]";
            JsonNode id = t.get("id");
            JsonNode content = t.get("content");
            if (id == null || !id.canConvertToInt() || id.asInt() < 0) {
                throw new TokenizerFormatException(field + ".id", "missing or not a non-negative integer");
            }
            if (content == null || !content.isTextual() || content.asText().isEmpty()) {
                throw new TokenizerFormatException(field + ".content", "missing or empty");
            }
            if (!contents.add(content.asText())) throw new TokenizerFormatException(field + ".content", content + " appears twice");
            Integer inModel = vocab.get(content.asText());
            int expected = inModel != null ? inModel : nextNewId;
            if (id.asInt() != expected) {
                throw new TokenizerFormatException(field + ".id", "is " + id.asInt() + " but Hugging Face would give "
                        + content + " the id " + expected + " (its id in model.vocab, or else the next free id"
                        + " after model.vocab's " + vocab.size() + " entries and the added tokens before it)");
            }
            if (inModel == null || inModel >= nextNewId) nextNewId = Math.max(nextNewId, expected + 1);
            tokens.add(new AddedToken(id.asInt(), content.asText(), flag(t, "special", field),
                    flag(t, "normalized", field), flag(t, "lstrip", field), flag(t, "rstrip", field),
                    flag(t, "single_word", field)));
        }
        return List.copyOf(tokens);
    }

    /** One of an added token's flags, which Hugging Face requires to be present. */
    private static boolean flag(JsonNode token, String name, String field) throws TokenizerFormatException {
        JsonNode value = token.get(name);
        if (value == null || !value.isBoolean()) throw new TokenizerFormatException(field + "." + name, "missing or not true/false");
        return value.asBoolean();
    }

    private static void requireNull(JsonNode parent, String name) throws TokenizerFormatException {
        requireNull(parent, name, name);
    }

    private static void requireNull(JsonNode parent, String name, String field) throws TokenizerFormatException {
        JsonNode node = parent.get(name);
        if (node != null && !node.isNull()) throw new TokenizerFormatException(field, "must be null; found " + node);
    }

    private static void requireEmpty(JsonNode model, String name) throws TokenizerFormatException {
        JsonNode node = model.get(name);
        if (node != null && !node.isNull() && !node.asText().isEmpty()) {
            throw new TokenizerFormatException("model." + name, "must be empty or null; found " + node);
        }
    }
}
