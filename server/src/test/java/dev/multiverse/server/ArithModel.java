package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shipped model (models/multiverse-arith, 6.4M parameters) for the server's tests:
 * a server over one copy of it, and the engine called directly over another copy, the oracle of
 * what the server must answer.
 */
final class ArithModel implements AutoCloseable {
    static final Path DIR = Path.of("../models/multiverse-arith");
    static final String QUESTION = "What is (37 + 48) * (12 - 5)?";
    static final String ID = "multiverse-arith";

    final Tokenizer tokenizer;
    final TokenizerVocabulary vocabulary;
    private final ModelConfig config;
    private final WeightStore store;

    private ArithModel(Tokenizer tokenizer, ModelConfig config, WeightStore store) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.store = store;
        this.vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
    }

    static ArithModel open() throws Exception {
        assertTrue(Files.isDirectory(DIR), "the shipped model is missing: " + DIR.toAbsolutePath());
        return new ArithModel(Tokenizer.load(DIR.resolve("tokenizer.json")), ModelConfig.load(DIR.resolve("config.json")),
                WeightStore.open(DIR));
    }

    /** A fresh backend on its own copy of the model (one thread: the test machine is small). */
    Backend backend(int slots) {
        try {
            return new CpuBackend(new Qwen2(Qwen2Weights.from(store, config), 1), slots, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + DIR, e);
        }
    }

    OpenAiServer serve(ServerConfig serverConfig, int slots) throws Exception {
        return OpenAiServer.start(backend(slots), vocabulary, EngineConfig.defaults(), serverConfig);
    }

    /** A server on an ephemeral loopback port with room for 32 requests of 512 tokens. */
    OpenAiServer serve() throws Exception {
        return serve(ServerConfig.defaults(ID, 0), 32 * 1024);
    }

    /** The chat prompt the server builds for {@code question} (with the Multiverse instruction). */
    int[] chatPrompt(String question) {
        return tokenizer.encode(ChatFormat.qwen25().multiversePrompt(question));
    }

    /** What the engine itself generates for the prompt, called directly. */
    GenerationResult direct(int[] prompt, SamplingParams sampling, Budgets budgets) {
        try (Backend backend = backend(prompt.length + budgets.maxTotalTokens() + 16)) {
            var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
            return engine.generate(Request.sampled(prompt, sampling, budgets));
        }
    }

    /** The text of a JSON array of token ids (a response's {@code multiverse.token_ids}). */
    String decode(com.fasterxml.jackson.databind.JsonNode ids) {
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = ids.get(i).asInt();
        return tokenizer.decode(tokens);
    }

    @Override
    public void close() {
        store.close();
    }
}
