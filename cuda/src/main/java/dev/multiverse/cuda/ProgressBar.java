package dev.multiverse.cuda;

import java.io.PrintStream;

/**
 * A one-line progress bar for long copies, redrawn in place at most every 200 ms (and at the end);
 * silent when the stream is null.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private long done;
    private int shownPercent = -1;
    private long shownAtNanos;
    private final long startNanos = System.nanoTime();

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void advance(long bytes) {
        done += bytes;
        int percent = (int) (100 * done / total);
        long now = System.nanoTime();
        if (out == null || percent == shownPercent || (percent < 100 && now - shownAtNanos < 200_000_000L)) return;
        shownPercent = percent;
        shownAtNanos = now;
        int filled = WIDTH * percent / 100;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf("\r%s [%s%s] %3d%% %.2f/%.2f GB %.1f GB/s", label, "#".repeat(filled), " ".repeat(WIDTH - filled), percent,
                done / 1e9, total / 1e9, done / 1e9 / Math.max(seconds, 1e-9));
        out.flush();
    }

    void done() {
        if (out != null && shownPercent >= 0) out.println();
    }
}
