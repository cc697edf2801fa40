package dev.multiverse.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** One single-file fuzz case: a random valid file and one {@link Mutation} of it. */
record FuzzCase(List<RandomTensors.Spec> specs, Mutation mutation, byte[] valid) {

    static FuzzCase random(Random r) {
        List<RandomTensors.Spec> specs = RandomTensors.randomSet(r, 5);
        SafeTensorsWriter w = RandomTensors.writer(specs);
        if (r.nextBoolean()) {
            w.metadata("format", "pt");
        }
        byte[] valid = w.toBytes();
        return new FuzzCase(specs, Mutation.random(r, valid), valid);
    }

    /** Writes the damaged file into {@code dir} as model.safetensors and checks {@link FuzzOracle}. */
    FuzzOracle.Outcome run(Path dir) throws Exception {
        Files.write(dir.resolve(WeightStore.SINGLE_FILE), mutation.apply(valid));
        return FuzzOracle.check(dir, this);
    }

    @Override
    public String toString() {
        return "FuzzCase[" + specs + ", " + mutation + "]";
    }
}
