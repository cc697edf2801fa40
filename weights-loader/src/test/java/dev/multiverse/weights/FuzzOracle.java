package dev.multiverse.weights;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The property every fuzz case checks: opening a (possibly damaged) model directory either fails
 * with a {@link WeightsFormatException} whose message starts with its file, or succeeds and then
 * every byte of every tensor can be read and every float tensor widened. Any other exception, and
 * any open that takes longer than {@link #TIMEOUT_SECONDS}, is an {@link AssertionError}.
 */
final class FuzzOracle {
    static final int TIMEOUT_SECONDS = 10;

    /** What opening the directory did. */
    enum Outcome { REFUSED, LOADED }

    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });

    private FuzzOracle() {
    }

    /** Opens {@code modelDir} on a worker thread under the time limit; {@code what} names the case. */
    static Outcome check(Path modelDir, Object what) throws InterruptedException {
        Future<Outcome> f = WORKER.submit(() -> openAndReadAll(modelDir));
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("opening took over " + TIMEOUT_SECONDS + " s: " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError("unexpected " + e.getCause() + " for " + what, e.getCause());
        }
    }

    private static Outcome openAndReadAll(Path modelDir) throws Exception {
        try (WeightStore store = WeightStore.open(modelDir)) {
            for (String name : store.names()) {
                Tensor t = store.tensor(name);
                byte[] bytes = t.data().toArray(ValueLayout.JAVA_BYTE);
                if (bytes.length != t.elementCount() * t.dtype().byteSize()) {
                    throw new IllegalStateException(name + ": " + bytes.length + " bytes for " + t);
                }
                if (t.dtype().isFloatReadable()) {
                    t.toFloatArray();
                }
            }
            return Outcome.LOADED;
        } catch (WeightsFormatException e) {
            if (e.file() == null || !e.getMessage().startsWith(e.file() + ": ")) {
                throw new IllegalStateException("message does not start with the file: " + e.getMessage(), e);
            }
            return Outcome.REFUSED;
        }
    }
}
