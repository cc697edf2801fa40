package dev.multiverse.engine;

import dev.multiverse.tokenizer.MultiverseTags;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The engine's view of a real {@link Tokenizer}: its tags, and the ids that end a sequence: the
 * model's {@code eos_token_id}s together with {@code <|im_end|>} and {@code <|endoftext|>} when the
 * vocabulary has them (ChatML ends an assistant turn with {@code <|im_end|>}).
 */
public final class TokenizerVocabulary implements EngineVocabulary {
    private final Tokenizer tokenizer;
    private final MultiverseTags tags;
    private final int[] endIds;

    public TokenizerVocabulary(Tokenizer tokenizer, int[] modelEosIds) {
        this.tokenizer = tokenizer;
        this.tags = tokenizer.tags();
        int[] ends = modelEosIds.clone();
        for (String text : new String[] {"<|im_end|>", "<|endoftext|>"}) {
            OptionalInt id = tokenizer.idOf(text);
            if (id.isPresent()) {
                ends = Arrays.copyOf(ends, ends.length + 1);
                ends[ends.length - 1] = id.getAsInt();
            }
        }
        this.endIds = ends;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int size() {
        return tokenizer.vocabSize();
    }

    @Override
    public MultiverseTags tags() {
        return tags;
    }

    @Override
    public boolean isEndOfSequence(int token) {
        for (int id : endIds) if (id == token) return true;
        return false;
    }

    @Override
    public int[] encodePlain(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String decode(int[] tokens) {
        return tokenizer.decode(tokens);
    }
}
