package dev.multiverse.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams tokenizer.json's {@code model} object: {@code vocab} and {@code merges} (about 150,000
 * entries each for Qwen) go straight into maps and arrays instead of a JSON tree, which halves the
 * load time; the model's other fields are kept as a tree for {@link TokenizerJsonReader} to check.
 */
final class ModelSectionReader {
    private ModelSectionReader() {}

    /** The largest token id accepted (ids index arrays). */
    private static final int MAX_ID = (1 << 24) - 1;

    /**
     * @param settings   the model's fields other than vocab and merges
     * @param vocab      token text to id
     * @param merges     the merges in rank order, each {left, right}; null when the field is absent
     */
    record ModelSection(ObjectNode settings, Map<String, Integer> vocab, List<String[]> merges) {}

    /** Reads the model object; the parser is at its START_OBJECT and is left at its END_OBJECT. */
    static ModelSection read(JsonParser p, ObjectMapper mapper) throws IOException, TokenizerFormatException {
        ObjectNode settings = mapper.createObjectNode();
        Map<String, Integer> vocab = null;
        List<String[]> merges = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
                vocab = new HashMap<>(1 << 18);
                readVocab(p, vocab);
            } else if (name.equals("merges") && value == JsonToken.START_ARRAY) {
                merges = readMerges(p);
            } else {
                settings.set(name, mapper.readTree(p));
            }
        }
        if (vocab == null) throw new TokenizerFormatException("model.vocab", "missing or not an object");
        return new ModelSection(settings, vocab, merges);
    }

    private static void readVocab(JsonParser p, Map<String, Integer> vocab) throws IOException, TokenizerFormatException {
        String[] byId = new String[1 << 10];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            String field = "model.vocab[\"" + token + "\"]";
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > MAX_ID) {
                throw new TokenizerFormatException(field, "id must be an integer from 0 to " + MAX_ID + ", found " + p.getText());
            }
            int id = p.getIntValue();
            if (id >= byId.length) byId = Arrays.copyOf(byId, Math.max(byId.length * 2, id + 1));
            if (byId[id] != null) throw new TokenizerFormatException(field, "id " + id + " is also the id of \"" + byId[id] + "\"");
            if (vocab.put(token, id) != null) throw new TokenizerFormatException(field, "the token appears twice");
            byId[id] = token;
        }
    }

    private static List<String[]> readMerges(JsonParser p) throws IOException, TokenizerFormatException {
        List<String[]> merges = new ArrayList<>(1 << 18);
        JsonToken t;
        JsonToken form = null; // Hugging Face takes all "left right" strings or all [left, right] pairs
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String field = "model.merges[" + merges.size() + "]";
            if (form == null) form = t;
            if (t != form) throw new TokenizerFormatException(field, "mixes \"left right\" strings with [left, right] pairs");
            if (t == JsonToken.VALUE_STRING) {
                String text = p.getText();
                int space = text.indexOf(' ');
                if (space < 0 || text.indexOf(' ', space + 1) >= 0) {
                    throw new TokenizerFormatException(field, "expected \"left right\", found \"" + text + "\"");
                }
                merges.add(new String[] {text.substring(0, space), text.substring(space + 1)});
            } else if (t == JsonToken.START_ARRAY) {
                String left = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                String right = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                if (left == null || right == null || p.nextToken() != JsonToken.END_ARRAY) {
                    throw new TokenizerFormatException(field, "expected [left, right], two strings");
                }
                merges.add(new String[] {left, right});
            } else {
                throw new TokenizerFormatException(field, "expected \"left right\" or [left, right], found " + t);
            }
        }
        return merges;
    }
}
