package dev.multiverse.weights;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fuzz case: a random valid file and one mutation of it. {@link #run} states the property: opening
 * the mutated file either fails with {@link WeightsFormatException}, or succeeds and then every byte
 * of every tensor can be read (and every float tensor widened); any other exception, and any open
 * that takes longer than {@link #TIMEOUT_SECONDS}, is a failure.
 */
record FuzzCase(List<RandomTensors.Spec> specs, Mutation mutation, byte[] valid) {
    static final int TIMEOUT_SECONDS = 10;

    /** What opening the damaged file did. */
    enum Outcome { REFUSED, LOADED }

    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });

    static FuzzCase random(Random r) {
        List<RandomTensors.Spec> specs = RandomTensors.randomSet(r, 5);
        SafeTensorsWriter w = RandomTensors.writer(specs);
        if (r.nextBoolean()) {
            w.metadata("format", "pt");
        }
        byte[] valid = w.toBytes();
        return new FuzzCase(specs, Mutation.random(r, valid), valid);
    }

    /** Writes the damaged file into {@code dir} as model.safetensors, opens it, reads it all. */
    Outcome run(Path dir) throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, mutation.apply(valid));
        Future<Outcome> f = WORKER.submit(() -> openAndReadAll(dir));
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("opening took over " + TIMEOUT_SECONDS + " s: " + this, e);
        } catch (ExecutionException e) {
            throw new AssertionError("unexpected " + e.getCause() + " for " + this, e.getCause());
        }
    }

    private static Outcome openAndReadAll(Path dir) throws Exception {
        try (WeightStore store = WeightStore.open(dir)) {
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

    @Override
    public String toString() {
        return "FuzzCase[" + specs + ", " + mutation + "]";
    }
}
