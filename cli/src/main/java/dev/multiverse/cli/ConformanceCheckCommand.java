package dev.multiverse.cli;

import dev.multiverse.conformance.check.CaseResult;
import dev.multiverse.conformance.check.CheckTable;
import dev.multiverse.conformance.check.CompletionsClient;
import dev.multiverse.conformance.check.KitChecker;
import dev.multiverse.conformance.kit.KitExporter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse conformance check}: runs the kit's greedy engine vectors against an
 * OpenAI-compatible server and prints a pass/fail table. Exit 0 when every case passes, 1 when
 * one fails, 2 on bad input (no kit, unknown model).
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Sends each greedy engine vector of the kit for --model to the server's /v1/completions (token-id prompt,",
            "temperature 0, logprobs) and compares the generated ids, their log-probs, the finish reason and the",
            "sequences with the kit's. Prints a pass/fail table and the first difference of each failing case."
        })
public final class ConformanceCheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "the server, e.g. http://127.0.0.1:8000")
    URI endpoint;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "the model name the server serves")
    String model;

    @Option(names = "--kit-model", paramLabel = "NAME",
            description = "the kit model the server serves (default: --model), e.g. multiverse-arith or tied-h4kv2-f32")
    String kitModel;

    @Option(names = "--kit", paramLabel = "DIR", defaultValue = "conformance-kit",
            description = "the kit written by `conformance export` (default: ${DEFAULT-VALUE})")
    Path kit;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "" + KitExporter.LOGPROB_TOLERANCE,
            description = "largest accepted |expected - served| log-prob (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "per request (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!(tolerance >= 0)) throw new BadInputException("--tolerance must be >= 0, got " + tolerance);
        if (timeoutSeconds < 1) throw new BadInputException("--timeout must be >= 1 second, got " + timeoutSeconds);
        var client = new CompletionsClient(endpoint, Duration.ofSeconds(timeoutSeconds));
        var checker = new KitChecker(kit, client, tolerance);
        List<CaseResult> results = checker.check(model, kitModel == null ? model : kitModel);
        var out = spec.commandLine().getOut();
        out.print(CheckTable.format(results, tolerance));
        out.flush();
        return results.stream().allMatch(CaseResult::passed) ? MultiverseCli.EXIT_OK : 1;
    }
}
