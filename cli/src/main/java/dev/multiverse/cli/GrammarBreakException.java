package dev.multiverse.cli;

/**
 * Thrown by a subcommand after it has printed its result, when the text breaks the Multiverse
 * grammar. Exit code 3.
 */
public final class GrammarBreakException extends BadInputException {
    public GrammarBreakException(String message) {
        super(message);
    }
}
