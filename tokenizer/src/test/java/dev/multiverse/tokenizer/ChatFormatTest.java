package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChatFormatTest {
    private final Tokenizer tokenizer = Fixtures.ours();

    @Test
    void qwenPromptWithDefaultSystemPrompt() {
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", ChatFormat.qwen25().prompt("What is 2+2?"));
    }

    @Test
    void customSystemPrompt() {
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                new ChatFormat("Be brief.").prompt("Hi"));
    }

    @Test
    void multiversePromptAppendsTheInstruction() {
        String prompt = ChatFormat.qwen25().multiversePrompt("How many primes are below 20?");
        assertEquals(ChatFormat.qwen25().prompt(
                "How many primes are below 20? Think step by step and in parallel before answering."), prompt);
    }

    @Test
    void promptTokensFrameTheTurnsWithChatMlIds() {
        int imStart = tokenizer.idOf("<|im_start|>").getAsInt();
        int imEnd = tokenizer.idOf("<|im_end|>").getAsInt();
        int[] ids = tokenizer.encode(ChatFormat.qwen25().multiversePrompt("Why is the sky blue?"));
        assertArrayEquals(Fixtures.hfEncode(ChatFormat.qwen25().multiversePrompt("Why is the sky blue?")), ids);
        assertEquals(imStart, ids[0]);
        assertEquals(3, Arrays.stream(ids).filter(id -> id == imStart).count());
        assertEquals(2, Arrays.stream(ids).filter(id -> id == imEnd).count());
        assertEquals("<|im_start|>assistant\n", tokenizer.decode(Arrays.copyOfRange(ids, ids.length - 3, ids.length)));
    }
}
