package dev.multiverse.contract;

import java.util.Arrays;

/**
 * A forward pass over a whole text under an arbitrary mask: token i at {@code positions[i]}
 * attends to every token j ≤ i with {@code mask.visible(i, j)}; the logits of every token go to
 * the sink, in order. the CPU reference's {@code Qwen2.forward} is one; {@link #over(Backend)} makes one of any backend.
 */
@FunctionalInterface
public interface SinglePass {
    void forward(int[] tokens, int[] positions, AttentionMask mask, LogitsSink sink);

    /**
     * The single pass through the {@link Backend} contract alone, so any backend (the GPU one
     * included) can be checked against the layout: token i is its own step, written to slot i,
     * with the visible earlier slots as its context. Uses slots {@code 0 .. tokens.length - 1}.
     */
    static SinglePass over(Backend backend) {
        return (tokens, positions, mask, sink) -> {
            if (tokens.length > backend.slotCapacity())
                throw new IllegalArgumentException(tokens.length + " tokens need as many KV slots; the backend has "
                        + backend.slotCapacity());
            int[] visible = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                int count = 0;
                for (int j = 0; j < i; j++) if (mask.visible(i, j)) visible[count++] = j;
                int[] seen = new int[count];
                for (int c = 0; c < count; c++) seen[c] = tokens[visible[c]];
                Batch step = Batch.builder().sequence(Arrays.copyOf(visible, count), seen,
                        new int[] {tokens[i]}, new int[] {positions[i]}, new int[] {i}, Readout.logitsOnly()).build();
                sink.accept(i, backend.step(step).lastLogits(0));
            }
        };
    }
}
