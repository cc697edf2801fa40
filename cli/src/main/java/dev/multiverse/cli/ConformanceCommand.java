package dev.multiverse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code multiverse conformance}: the conformance kit for other engines ({@code export}, {@code check}). */
@Command(
        name = "conformance",
        mixinStandardHelpOptions = true,
        description = {
            "The conformance kit for other Multiverse engines: `export` writes the test vectors (tokenizer, layout,",
            "model, engine), `check` runs the engine vectors against an OpenAI-compatible server. See docs/porting.md."
        },
        subcommands = {ConformanceExportCommand.class, ConformanceCheckCommand.class})
public final class ConformanceCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: export or check");
    }
}
