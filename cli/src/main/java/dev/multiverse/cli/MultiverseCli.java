package dev.multiverse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code multiverse} command. Each subcommand lives in its own class and is listed here.
 *
 * <p>Exit codes, shared by every subcommand: 0 ok, 2 bad usage or input, 3 a text that breaks the
 * Multiverse grammar.
 */
@Command(
        name = "multiverse",
        mixinStandardHelpOptions = true,
        versionProvider = MultiverseCli.Version.class,
        description = "Natively parallel LLM generation: the model forks and joins its own reasoning.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TokenizeCommand.class,
            LayoutCommand.class,
            ScoreCommand.class,
            GenerateCommand.class,
            ReplayCommand.class,
            EvalCommand.class,
            ServeCommand.class,
            ConformanceCommand.class,
        })
public final class MultiverseCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_GRAMMAR = 3;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        // Text files in, text out: stdout is UTF-8 whatever the locale (under LANG=C Java would write '?').
        var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        System.exit(commandLine().setOut(out).execute(args));
    }

    /** The configured command line; tests call {@code execute} on it instead of {@link #main}. */
    public static CommandLine commandLine() {
        return new CommandLine(new MultiverseCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExitCodeExceptionMapper(CliErrors::exitCode)
                .setExecutionExceptionHandler(CliErrors::report)
                .setParameterExceptionHandler(CliErrors::reportUsage);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MultiverseCli.class.getPackage().getImplementationVersion();
            return new String[] {"multiverse " + (v == null ? "(development build)" : v)};
        }
    }
}
