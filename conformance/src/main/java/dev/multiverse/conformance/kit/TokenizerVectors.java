package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.MultiverseTags;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kit's {@code tokenizer/} vectors: texts and the exact ids the Multiverse tokenizer gives them
 * (tags and ChatML tokens inside text, whitespace runs, digits, CJK, emoji, a whole prompt and a
 * tagged response), plus the ids of the twelve tags.
 */
final class TokenizerVectors {
    private TokenizerVectors() {}

    /** The texts, by case name. */
    static Map<String, String> texts() {
        var t = new LinkedHashMap<String, String>();
        t.put("plain_sentence", "The quick brown fox jumps over the lazy dog.");
        t.put("tags_glued_to_text", "x<Think>y</Think>\n\nAnswer: 42");
        t.put("all_twelve_tags", String.join("", MultiverseTags.TEXTS));
        t.put("tags_with_spaces", " <Path> 1: a </Path> \n<Conclusion>\n");
        t.put("chatml_prompt", ChatFormat.qwen25().multiversePrompt("What is (37 + 48) * (12 - 5)?"));
        t.put("chatml_tokens_inside_text", "a<|im_start|>b<|im_end|>c<|endoftext|>");
        t.put("whitespace_runs", "a  b   c\t\td\n\n\ne \n \n  \r\n end   ");
        t.put("digits", "3.14159 12345678901234567890 -7 1e-6");
        t.put("cjk", "多元宇宙并行生成：模型自己分叉与合并。日本語のテキスト、한국어 텍스트");
        t.put("emoji", "fork 🍴 join 🤝🏽 family 👨‍👩‍👧‍👦 flag 🇫🇷");
        t.put("contractions_and_punctuation", "Let's think in parallel. It's done; we'll see... (a+b)*c!=d?");
        t.put("tagged_response", "<Think>\nLet's think in parallel.\n<Parallel>\n<Goal>\n<Outline>\n1: add\n</Outline>\n"
                + "<Outline>\n2: subtract\n</Outline>\n</Goal>\n<Path>\n1: 37 + 48 = 85\n</Path>\n<Path>\n2: 12 - 5 = 7\n"
                + "</Path>\n<Conclusion>\n85 * 7 = 595\n</Conclusion>\n</Parallel>\n</Think>\n\nAnswer: 595");
        t.put("empty", "");
        return t;
    }

    static ObjectNode build(Tokenizer tokenizer, String tokenizerName, String sha256) {
        ObjectNode root = KitJson.object();
        root.put("tokenizer", tokenizerName);
        root.put("tokenizer_sha256", sha256);
        root.put("vocab_size", tokenizer.vocabSize());
        ObjectNode tags = root.putObject("tags");
        int[] ids = tokenizer.tags().ids();
        for (int i = 0; i < ids.length; i++) tags.put(MultiverseTags.TEXTS.get(i), ids[i]);
        ArrayNode cases = root.putArray("cases");
        texts().forEach((name, text) -> {
            int[] tokens = tokenizer.encode(text);
            if (!tokenizer.decode(tokens).equals(text))
                throw new IllegalStateException("tokenizer case " + name + " does not decode back to its text");
            cases.addObject().put("name", name).put("text", text).set("ids", KitJson.ints(tokens));
        });
        return root;
    }
}
