package dev.multiverse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and the shared exit codes.
 *
 * <p>Bad input (a missing file, a corrupt weights file, invalid UTF-8, a bad option) exits with 2;
 * anything unexpected is a bug and prints its stack trace before exiting with 1.
 */
final class CliErrors {
    private CliErrors() {}

    /** Exceptions that mean "the user's input is wrong" rather than "the program is wrong". */
    static boolean isBadInput(Throwable t) {
        return t instanceof IOException
                || t instanceof UncheckedIOException
                || t instanceof IllegalArgumentException
                || t instanceof BadInputException;
    }

    static int exitCode(Throwable t) {
        if (t instanceof GrammarBreakException) return MultiverseCli.EXIT_GRAMMAR;
        return isBadInput(t) ? MultiverseCli.EXIT_BAD_INPUT : 1;
    }

    static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        if (isBadInput(e)) {
            err.println(cmd.getCommandName() + ": " + messageOf(e));
        } else {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    static int reportUsage(CommandLine.ParameterException e, String[] args) {
        var cmd = e.getCommandLine();
        var err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        }
        err.flush();
        return MultiverseCli.EXIT_BAD_INPUT;
    }

    private static String messageOf(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file: " + m;
        if (e instanceof java.nio.file.AccessDeniedException) return "cannot read: " + m;
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
