package dev.multiverse.engine;

/**
 * One generation request.
 *
 * @param prompt the prompt's tokens, at least one
 * @param sampling how sequences sample (also the seed of every random stream)
 * @param budgets the request's limits
 * @param chooser what picks the root's next tokens; its {@link TokenChooser#child} picks the
 *     paths'. A {@link Sampler} over {@code sampling} unless a script is given.
 * @param listener told of every token, fork, path end, join and the finish, on the engine's thread
 */
public record Request(int[] prompt, SamplingParams sampling, Budgets budgets, TokenChooser chooser,
                      EngineListener listener) {

    public Request {
        if (prompt.length == 0) throw new IllegalArgumentException("a request needs at least one prompt token");
        prompt = prompt.clone();
        if (chooser == null) chooser = new Sampler(sampling, "");
        if (listener == null) listener = EngineListener.NONE;
    }

    /** A request that samples with {@code sampling}. */
    public static Request sampled(int[] prompt, SamplingParams sampling, Budgets budgets) {
        return new Request(prompt, sampling, budgets, null, null);
    }

    /** A request whose tokens come from {@code chooser} (a script); sampling params serve stop strings only. */
    public static Request scripted(int[] prompt, TokenChooser chooser, Budgets budgets) {
        return new Request(prompt, SamplingParams.greedy(), budgets, chooser, null);
    }

    /** The same request, reporting to {@code l}. */
    public Request withListener(EngineListener l) {
        return new Request(prompt, sampling, budgets, chooser, l);
    }

    /** The most KV slots the request can ever hold: its prompt plus everything it may generate. */
    public long slotsNeeded() {
        return (long) prompt.length + budgets.maxTotalTokens();
    }
}
