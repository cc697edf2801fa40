package dev.multiverse.tokenizer;

/**
 * Qwen2.5's ChatML prompt for one user turn, as its chat template writes it with
 * {@code add_generation_prompt=True}:
 *
 * <pre>
 * &lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n{user}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n
 * </pre>
 *
 * @param systemPrompt the system message ({@link #DEFAULT_SYSTEM_PROMPT} for Qwen2.5 and Multiverse)
 */
public record ChatFormat(String systemPrompt) {

    /** The system prompt Qwen2.5's template uses when the conversation has none. */
    public static final String DEFAULT_SYSTEM_PROMPT = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    /** What Multiverse appends to the user's question (spec section 2). */
    public static final String MULTIVERSE_INSTRUCTION = " Think step by step and in parallel before answering.";

    public ChatFormat {
        if (systemPrompt == null) throw new IllegalArgumentException("systemPrompt is null");
    }

    /** The format with Qwen2.5's default system prompt. */
    public static ChatFormat qwen25() {
        return new ChatFormat(DEFAULT_SYSTEM_PROMPT);
    }

    /** The text up to and including {@code <|im_start|>assistant\n}, ready for the model to continue. */
    public String prompt(String user) {
        return "<|im_start|>system\n" + systemPrompt + "<|im_end|>\n"
                + "<|im_start|>user\n" + user + "<|im_end|>\n"
                + "<|im_start|>assistant\n";
    }

    /** The prompt Multiverse models are trained on: the question followed by {@link #MULTIVERSE_INSTRUCTION}. */
    public String multiversePrompt(String question) {
        return prompt(question + MULTIVERSE_INSTRUCTION);
    }
}
