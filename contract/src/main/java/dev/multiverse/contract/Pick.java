package dev.multiverse.contract;

/**
 * How the next token of a sequence is decided at the end of its step: not at all (a prefill chunk,
 * a row whose next token the engine inserts), given by the caller (a script: only its log-prob
 * comes back), or chosen by the backend under a {@link TokenRule} with one uniform draw in [0, 1)
 * from the sequence's own seeded stream.
 */
public record Pick(Kind kind, int token, TokenRule rule, double uniform) {

    /** The three ways. */
    public enum Kind { NONE, GIVEN, CHOSEN }

    private static final Pick NONE = new Pick(Kind.NONE, -1, null, 0);

    public Pick {
        switch (kind) {
            case NONE -> {
                if (token != -1 || rule != null) throw new IllegalArgumentException("a NONE pick carries no token and no rule");
            }
            case GIVEN -> {
                if (token < 0) throw new IllegalArgumentException("a given token must be >= 0, got " + token);
                if (rule != null) throw new IllegalArgumentException("a given token carries no rule");
            }
            case CHOSEN -> {
                if (rule == null) throw new IllegalArgumentException("a chosen token needs a rule");
                if (!(uniform >= 0 && uniform < 1)) throw new IllegalArgumentException("uniform draw " + uniform + " is outside [0, 1)");
            }
        }
    }

    /** No token: the step reads nothing for the next token beyond what the readout asks. */
    public static Pick none() {
        return NONE;
    }

    /** The caller's token: the backend returns its log-prob. */
    public static Pick given(int token) {
        return new Pick(Kind.GIVEN, token, null, 0);
    }

    /** The backend chooses under {@code rule} with the uniform draw {@code uniform} (unused when greedy). */
    public static Pick chosen(TokenRule rule, double uniform) {
        return new Pick(Kind.CHOSEN, -1, rule, uniform);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }
}
