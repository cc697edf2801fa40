package dev.multiverse.cuda;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class when no CUDA driver or GPU is present (CI), and runs it for real where one
 * is. Jupiter: {@code @ExtendWith(RequiresGpu.class)}; jqwik: {@code @AddLifecycleHook(RequiresGpu.class)}.
 * Setting {@code MULTIVERSE_REQUIRE_GPU=1} turns a missing GPU into a failure (for the GPU machine,
 * where a silent skip would hide a broken driver binding).
 */
public final class RequiresGpu implements ExecutionCondition, SkipExecutionHook {
    static final boolean PRESENT = CudaDevice.available();

    private static String reason() {
        if ("1".equals(System.getenv("MULTIVERSE_REQUIRE_GPU")) && !PRESENT)
            throw new IllegalStateException("MULTIVERSE_REQUIRE_GPU=1 but no CUDA device could be opened");
        return PRESENT ? null : "no CUDA driver or GPU on this machine";
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = reason();
        return why == null ? ConditionEvaluationResult.enabled("a GPU is present") : ConditionEvaluationResult.disabled(why);
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String why = reason();
        return why == null ? SkipResult.doNotSkip() : SkipResult.skip(why);
    }
}
