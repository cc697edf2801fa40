package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.SamplingParams;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client nobody here wrote, LangChain4j's OpenAI module, talks to the server, streaming and not;
 * what it receives is the engine's own answer for the same seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LangChain4jClientTest {
    static final int MAX_TOKENS = 400;
    static Served served;
    static ArithModel model;
    static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start();
        model = served.model();
        baseUrl = "http://127.0.0.1:" + served.server().port() + "/v1";
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static GenerationResult direct(SamplingParams sampling) {
        return model.direct(model.chatPrompt(ArithModel.QUESTION), sampling, ChatCompletionsTest.budgets(MAX_TOKENS));
    }

    static OpenAiChatModel chatModel(double temperature, int seed) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("not-needed").modelName(ArithModel.ID)
                .temperature(temperature).seed(seed).maxTokens(MAX_TOKENS).timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void chatGreedyAndSeeded() {
        GenerationResult greedy = direct(SamplingParams.greedy());
        ChatResponse r = chatModel(0.0, 0).chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from(ArithModel.QUESTION)).build());
        assertEquals(greedy.text(), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(greedy.stats().totalTokens(), r.tokenUsage().outputTokenCount(), "usage counts every path");
        assertEquals(greedy.promptLength(), r.tokenUsage().inputTokenCount());

        GenerationResult seeded = direct(SamplingParams.sampled(0.8, 77));
        assertEquals(seeded.text(), chatModel(0.8, 77).chat(ArithModel.QUESTION));
    }

    @Test
    void streamingRebuildsTheEnginesText() throws Exception {
        GenerationResult seeded = direct(SamplingParams.sampled(0.7, 3));
        var streaming = OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("not-needed").modelName(ArithModel.ID)
                .temperature(0.7).seed(3).maxTokens(MAX_TOKENS).timeout(Duration.ofSeconds(30)).build();
        var partials = new StringBuilder();
        var done = new CompletableFuture<ChatResponse>();
        streaming.chat(ArithModel.QUESTION, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        assertEquals(seeded.text(), partials.toString(), "the partial responses rebuild the engine's text");
        assertEquals(seeded.text(), r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
    }
}
