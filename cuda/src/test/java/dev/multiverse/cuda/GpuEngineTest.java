package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SinglePass;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenEntry;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lossless property on the GPU, on the trained model shipped with the project: the engine,
 * unchanged, runs four requests batched on the CUDA backend (forks, joins, graph-replayed decode
 * steps); then each merged result is scored in one pass under the canonical layout, on the same
 * GPU ({@link SinglePass#over}) and on the CPU reference. The engine's log-probs equal the GPU
 * single pass's up to batch-shape rounding, its greedy tokens are that pass's argmax (off
 * near-ties), and both stay within the bf16 budget of the CPU's fp32 pass.
 */
@ExtendWith(RequiresGpu.class)
class GpuEngineTest {
    static final List<String> QUESTIONS = List.of("What is (37 + 48) * (12 - 5)?", "What is (454 + 210) + (953 * 330) + (675 + 784)?",
            "What is (915 - 649) * (154 + 415)?", "What is (12 + 7) - (300 - 45) + (8 * 9)?");
    static final double SAME_DEVICE = 0.02, ACROSS_DEVICES = 0.06;

    static Path shippedModel() {
        for (Path p : List.of(Path.of("models/multiverse-arith"), Path.of("../models/multiverse-arith")))
            if (Files.isDirectory(p)) return p;
        throw new IllegalStateException("models/multiverse-arith not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void theEngineOnTheGpuScoresLikeTheSinglePassUnderTheLayout() throws Exception {
        Path dir = shippedModel();
        Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        try (WeightStore store = WeightStore.open(dir)) {
            Qwen2Weights weights = Qwen2Weights.from(store, config);
            try (CudaBackend gpu = CudaBackend.upload(weights, 0, 8192, null); Qwen2 cpu = new Qwen2(weights, 2)) {
                var engine = new Engine(gpu, new TokenizerVocabulary(tokenizer, config.eosTokenIds()), EngineConfig.defaults());
                List<RequestHandle> handles = new ArrayList<>();
                for (String q : QUESTIONS) {
                    int[] prompt = tokenizer.encode(ChatFormat.qwen25().multiversePrompt(q));
                    handles.add(engine.submit(Request.sampled(prompt, SamplingParams.greedy(), Budgets.defaults().withMaxTokens(1500))));
                }
                engine.runUntilIdle();
                for (int i = 0; i < handles.size(); i++) {
                    GenerationResult r = handles.get(i).result().get();
                    checkAgainstSinglePasses(r, tokenizer, gpu, cpu, QUESTIONS.get(i));
                }
                assertTrue(gpu.graphCounts()[0] > 0, "decode steps should replay captured graphs");
                System.out.println("graph replays/captures " + java.util.Arrays.toString(gpu.graphCounts()));
            }
        }
    }

    private static void checkAgainstSinglePasses(GenerationResult r, Tokenizer tokenizer, CudaBackend gpu, Qwen2 cpu, String question) {
        Layout layout = Layout.of(r.tokens(), tokenizer.tags());
        assertArrayEquals(layout.positions(), r.positions(), "the engine's positions are the layout's");
        assertTrue(r.stats().paths() >= 2, question + ": the model should open a parallel block");
        var onGpu = LogProbs.score(SinglePass.over(gpu), r.tokens(), layout.positions(), layout::sees);
        var onCpu = LogProbs.score(cpu::forward, r.tokens(), layout.positions(), layout::sees);
        double worstSame = 0, worstAcross = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            if (Double.isNaN(r.logprobs()[j])) continue;
            worstSame = Math.max(worstSame, Math.abs(r.logprobs()[j] - onGpu.logProbs()[j]));
            worstAcross = Math.max(worstAcross, Math.abs(onGpu.logProbs()[j] - onCpu.logProbs()[j]));
        }
        // Greedy: each sampled token is the argmax of its row. Where the GPU pass disagrees, the row
        // must be a near-tie: the chosen token still has at least 30% of the probability there.
        int[] pred = layout.predecessors();
        int sampled = 0, disagreements = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            if (r.origins()[j] != TokenEntry.Origin.SAMPLED) continue;
            sampled++;
            if (r.tokens()[j] == onGpu.argmax()[pred[j]]) continue;
            disagreements++;
            assertTrue(onGpu.logProbs()[j] > Math.log(0.3), question + ": token " + j + " is not the single pass's argmax, and"
                    + " not a near-tie (log-prob there " + onGpu.logProbs()[j] + ")");
        }
        assertTrue(disagreements <= Math.max(1, sampled / 100), disagreements + " of " + sampled + " greedy tokens disagree");
        System.out.printf("%s -> %s | %d tokens, %d paths, engine vs GPU pass %.2e, GPU vs CPU pass %.2e, %d of %d greedy"
                        + " tokens off the pass's argmax%n", question, r.text().substring(Math.max(0, r.text().length() - 20)).replace('\n', ' '),
                r.tokens().length, r.stats().paths(), worstSame, worstAcross, disagreements, sampled);
        assertTrue(worstSame <= SAME_DEVICE, "engine vs single pass on the GPU: " + worstSame);
        assertTrue(worstAcross <= ACROSS_DEVICES, "GPU vs CPU single pass: " + worstAcross);
    }
}
