package dev.multiverse.weights;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile-input properties: random damages to random valid files (truncation, bit flips, header bytes
 * and fields edited, the length field rewritten, bytes inserted) and to sharded indexes each end in a
 * {@link WeightsFormatException} or in a store all of whose tensors read back; never another
 * exception, a crash or a hang ({@link FuzzOracle}). The outcome counts appear in the jqwik
 * statistics of the test report; {@code FuzzCampaign} runs the same cases for as long as asked.
 */
class MutatedFileProperties {

    @Provide
    Arbitrary<FuzzCase> files() {
        return Arbitraries.randomValue(FuzzCase::random);
    }

    @Provide
    Arbitrary<IndexFuzzCase> indexes() {
        return Arbitraries.randomValue(IndexFuzzCase::random);
    }

    @Property(tries = 2000)
    void damagedFilesAreRefusedOrFullyReadable(@ForAll("files") FuzzCase c) throws Exception {
        record(TempDirs.inFresh(c::run), c.mutation());
    }

    @Property(tries = 500)
    void damagedIndexesAreRefusedOrFullyReadable(@ForAll("indexes") IndexFuzzCase c) throws Exception {
        record(TempDirs.inFresh(c::run), c.mutation());
    }

    /** Counts outcomes and mutation kinds; fails unless most cases are refused and some load. */
    private static void record(FuzzOracle.Outcome outcome, Mutation mutation) {
        Statistics.label("outcome").collect(outcome);
        Statistics.label("mutation").collect(mutation.getClass().getSimpleName());
        Statistics.label("outcome").coverage(check -> {
            check.check(FuzzOracle.Outcome.REFUSED).percentage(p -> p > 50);
            check.check(FuzzOracle.Outcome.LOADED).count(n -> n > 0);
        });
    }
}
