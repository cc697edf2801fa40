package dev.multiverse.conformance.check;

/**
 * The outcome of one engine vector against a server.
 *
 * @param name            the vector
 * @param passed          whether every check held
 * @param tokens          how many generated tokens the server returned (-1 when the request failed)
 * @param worstLogprobDiff the largest |expected - served| log-prob over the tokens both agree on, NaN if none
 * @param firstDifference the first thing that differs, in words; empty when passed
 */
public record CaseResult(String name, boolean passed, int tokens, double worstLogprobDiff, String firstDifference) {}
