package dev.multiverse.layout;

/**
 * One place where a text breaks the Multiverse grammar.
 *
 * @param tokenIndex index of the token where the break is seen (for a missing closing tag, its
 *                   opening tag)
 * @param rule       the rule broken
 * @param message    what is wrong there, naming the tags and token indices involved
 */
public record GrammarBreak(int tokenIndex, Rule rule, String message) {}
