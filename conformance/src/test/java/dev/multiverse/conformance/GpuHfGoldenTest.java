package dev.multiverse.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SinglePass;
import dev.multiverse.cuda.CudaBackend;
import dev.multiverse.cuda.CudaDevice;
import dev.multiverse.layout.Layout;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU backend against Hugging Face transformers: the same 20 golden cases as
 * {@link HfGoldenScoreTest}, scored through the Backend contract on the GPU under the canonical
 * layout. The GPU computes in bf16 where the goldens are float64 (GEMM inputs, KV cache, and the
 * weights of the F32 checkpoints), and these random models have peaked attention that amplifies
 * it: measured on an H100, 0.035 to 0.071 nats at worst per text (the same for BF16 and F32
 * checkpoints: the activations dominate; on the trained shipped model the GPU is within 4e-3 of
 * the CPU). The bound, 0.1, is still far below the layout's own effect of 0.5 to 3.5 nats.
 * Skipped where there is no GPU.
 */
@EnabledIf("gpuPresent")
class GpuHfGoldenTest {
    static final double BOUND = 0.1;

    static boolean gpuPresent() {
        return CudaDevice.available();
    }

    static java.util.stream.Stream<HfGoldenScoreTest.Case> cases() throws Exception {
        return HfGoldenScoreTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gpuAgreesWithTransformers(HfGoldenScoreTest.Case c) throws Exception {
        JsonNode g = c.golden();
        int[] tokens = HfGoldenScoreTest.ints(g.get("tokens"));
        ModelConfig config = ModelConfig.load(c.modelDir().resolve("config.json"));
        try (WeightStore store = WeightStore.open(c.modelDir());
                CudaBackend gpu = CudaBackend.upload(Qwen2Weights.from(store, config), 0, tokens.length, null)) {
            var tokenizer = dev.multiverse.tokenizer.Tokenizer.load(c.modelDir().resolve("tokenizer.json"));
            Layout layout = Layout.of(tokens, tokenizer.tags());
            double[] scores = LogProbs.score(SinglePass.over(gpu), tokens, layout.positions(), layout::sees).logProbs();
            JsonNode expected = g.get("logprobs");
            double worst = 0;
            for (int j = 0; j < tokens.length; j++) {
                if (expected.get(j).isNull()) continue;
                worst = Math.max(worst, Math.abs(expected.get(j).asDouble() - scores[j]));
            }
            System.out.printf("GPU vs HF %s (%s): %d tokens, max |dlogp| %.2e%n", c, config.dtype(), tokens.length, worst);
            assertTrue(worst <= BOUND, c + ": max |dlogp| vs HF " + worst + " over " + BOUND);
            assertEquals(expected.size(), scores.length);
        }
    }
}
