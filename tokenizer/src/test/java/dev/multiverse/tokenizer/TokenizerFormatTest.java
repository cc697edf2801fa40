package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** tokenizer.json variants: accepted ones behave as Hugging Face; refused ones name the field. */
class TokenizerFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ObjectNode original;

    private static synchronized ObjectNode original() throws Exception {
        if (original == null) original = (ObjectNode) JSON.readTree(Fixtures.json());
        return original.deepCopy();
    }

    private static String edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = original();
        edit.accept(root);
        return JSON.writeValueAsString(root);
    }

    /** A small valid tokenizer.json: the 256 byte tokens, three merges, a token no merge reaches, one added token. */
    private static ObjectNode tiny() {
        ObjectNode root = JSON.createObjectNode();
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens").addObject().put("id", 260).put("content", "<Think>").put("special", true)
                .put("normalized", false).put("lstrip", false).put("rstrip", false).put("single_word", false);
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false);
        split.putObject("pattern").put("Regex", Qwen2PreTokenizer.PATTERN);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout").putNull("unk_token")
                .put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]), b);
        vocab.put("Ġt", 256).put("he", 257).put("Ġthe", 258).put("Ġzq", 259); // no merge makes "Ġzq"
        ArrayNode merges = model.putArray("merges");
        merges.addArray().add("Ġ").add("t");
        merges.addArray().add("h").add("e");
        merges.addArray().add("Ġt").add("he");
        return root;
    }

    private static String tinyEdited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = tiny();
        edit.accept(root);
        return JSON.writeValueAsString(root);
    }

    @Test
    void tinyTokenizerWorks() throws Exception {
        Tokenizer t = load(JSON.writeValueAsString(tiny()));
        assertArrayEquals(new int[] {258, 260, 't'}, t.encode(" the<Think>t"));
        assertEquals(" the<Think>t", t.decode(new int[] {258, 260, 't'}));
    }

    private static Tokenizer load(String json) throws Exception {
        return Tokenizer.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(String field, String json) {
        var e = assertThrows(TokenizerFormatException.class, () -> load(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void refusesWhatItDoesNotImplement() throws Exception {
        assertRefused("(document)", "{\"model\": ");
        assertRefused("normalizer.type", tinyEdited(r -> r.putObject("normalizer").put("type", "Lowercase")));
        assertRefused("pre_tokenizer.pretokenizers[0].pattern", tinyEdited(r -> ((ObjectNode) r.path("pre_tokenizer")
                .path("pretokenizers").get(0).path("pattern")).put("Regex", "\\s+")));
        assertRefused("pre_tokenizer.pretokenizers[1].use_regex", tinyEdited(r -> ((ObjectNode) r.path("pre_tokenizer")
                .path("pretokenizers").get(1)).put("use_regex", true)));
        assertRefused("model.byte_fallback", tinyEdited(r -> ((ObjectNode) r.get("model")).put("byte_fallback", true)));
        assertRefused("model.type", tinyEdited(r -> ((ObjectNode) r.get("model")).put("type", "WordPiece")));
        assertRefused("model", tinyEdited(r -> r.remove("model")));
        assertRefused("decoder.type", tinyEdited(r -> r.putObject("decoder").put("type", "Metaspace")));
        assertRefused("truncation", tinyEdited(r -> r.putObject("truncation").put("max_length", 5)));
        assertRefused("model.merges[2]", tinyEdited(r -> ((ArrayNode) r.path("model").path("merges")).set(2,
                JSON.createArrayNode().add("Ġ").add("notatoken"))));
        assertRefused("model.merges[1]", tinyEdited(r -> ((ArrayNode) r.path("model").path("merges")).set(1,
                JSON.getNodeFactory().textNode("h e"))));
        assertRefused("model.merges[0]", tinyEdited(r -> ((ArrayNode) r.path("model").path("merges")).set(0,
                JSON.getNodeFactory().textNode("a b c"))));
        assertRefused("model.vocab", tinyEdited(r -> ((ObjectNode) r.path("model").path("vocab")).remove("Ġ")));
        assertRefused("model.vocab[\"he\"]", tinyEdited(r -> ((ObjectNode) r.path("model").path("vocab")).put("he", 256)));
        assertRefused("added_tokens[0].content", tinyEdited(r -> ((ObjectNode) r.path("added_tokens").get(0)).put("content", "")));
        assertRefused("added_tokens[0].id", tinyEdited(r -> ((ObjectNode) r.path("added_tokens").get(0)).put("id", 5)));
        assertRefused("added_tokens[0].id", tinyEdited(r -> ((ObjectNode) r.path("added_tokens").get(0)).put("id", 261)));
        assertRefused("added_tokens[0].lstrip", tinyEdited(r -> ((ObjectNode) r.path("added_tokens").get(0)).remove("lstrip")));
    }

    @Test
    void mergesAsStringsWorkLikeMergesAsPairs() throws Exception {
        Tokenizer fromStrings = load(edited(r -> {
            ArrayNode merges = (ArrayNode) r.path("model").path("merges");
            for (int i = 0; i < merges.size(); i++) {
                merges.set(i, JSON.getNodeFactory().textNode(merges.get(i).get(0).asText() + " " + merges.get(i).get(1).asText()));
            }
        }));
        String text = Corpus.generate(3, 20_000);
        assertArrayEquals(Fixtures.ours().encode(text), fromStrings.encode(text));
    }

    /** With {@code ignore_merges}, a word that is itself in the vocabulary becomes that one token. */
    @Test
    void ignoreMergesMatchesHuggingFace() throws Exception {
        String[] texts = {" zq", "zq zq", " zqa", " the zq<Think> zq", "x zq\n zq  zq"};
        for (boolean ignore : new boolean[] {false, true}) {
            String json = tinyEdited(r -> ((ObjectNode) r.get("model")).put("ignore_merges", ignore));
            Tokenizer ours = load(json);
            var hf = Fixtures.hfFromJson(json);
            for (String text : texts) {
                assertEquals(java.util.Arrays.toString(hf.encode(text, false, false).getIds()),
                        java.util.Arrays.toString(ours.encode(text)), "ignore_merges " + ignore + ": " + Mismatch.quote(text));
            }
            assertEquals(ignore ? 1 : 3, ours.encode(" zq").length);
        }
    }

    /**
     * Added-token flags Qwen's file leaves off (lstrip, rstrip, single_word, normalized), switched
     * on in a copy of the file and compared with Hugging Face on text that exercises them.
     */
    @Test
    void addedTokenFlagsMatchHuggingFace() throws Exception {
        String json = edited(r -> {
            ArrayNode added = (ArrayNode) r.path("added_tokens");
            for (var node : added) {
                ObjectNode t = (ObjectNode) node;
                switch (t.path("content").asText()) {
                    case "<Think>" -> t.put("lstrip", true);
                    case "</Think>" -> t.put("rstrip", true);
                    case "<Path>" -> t.put("single_word", true);
                    case "<Goal>" -> t.put("lstrip", true).put("rstrip", true);
                    case "<tool_call>" -> t.put("normalized", true);
                    default -> { }
                }
            }
            added.addObject().put("id", 151677).put("content", "Ame\u0301lie").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", false);
        });
        Tokenizer ours = load(json);
        var hf = Fixtures.hfFromJson(json);
        String[] texts = {
            "a  <Think>  b", "\t<Think>\n", "x </Think>   y", "</Think>\u3000z", "word<Path>word", "word <Path> word",
            " <Path>\n", "é<Path>", "_<Path>", "<Path>1", "  <Goal>  <Goal>  ", "<Think><Think>  </Think></Think>",
            "<tool_call> Amélie Ame\u0301lie AMÉLIE", "<Goal>", "", "   ", "<Path><Path> <Path>",
        };
        for (String text : texts) {
            long[] expected = hf.encode(text, false, false).getIds();
            int[] actual = ours.encode(text);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), Mismatch.quote(text));
            assertEquals(Mismatch.quote(hf.decode(expected, false)), Mismatch.quote(ours.decode(actual)), "decoding " + Mismatch.quote(text));
        }
    }
}
