package dev.multiverse.contract;

/** Receives the logits of one row of a forward pass ({@code [vocab]}); the array is reused after the call returns. */
@FunctionalInterface
public interface LogitsSink {
    void accept(int row, float[] logits);
}
