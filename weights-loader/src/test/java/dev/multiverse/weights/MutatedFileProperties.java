package dev.multiverse.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile-input property: 2000 random damages to random valid files (truncation, bit flips, header
 * bytes and fields edited, the length field rewritten, bytes inserted) each end in a
 * {@link WeightsFormatException} or in a file all of whose tensors read back; never another
 * exception, a crash or a hang. The outcome counts appear in the jqwik statistics of the report;
 * {@code FuzzCampaign} runs the same property for as many cases as asked.
 */
class MutatedFileProperties {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("fuzz");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        TempDirs.delete(dir);
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return Arbitraries.randomValue(FuzzCase::random);
    }

    @Property(tries = 2000)
    void damagedFilesAreRefusedOrFullyReadable(@ForAll("cases") FuzzCase c) throws Exception {
        FuzzCase.Outcome outcome = c.run(dir);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("mutation").collect(c.mutation().getClass().getSimpleName());
        Statistics.label("outcome").coverage(check -> {
            check.check(FuzzCase.Outcome.REFUSED).percentage(p -> p > 50);
            check.check(FuzzCase.Outcome.LOADED).count(n -> n > 0);
        });
    }
}
