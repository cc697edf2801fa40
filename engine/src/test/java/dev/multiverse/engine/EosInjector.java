package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import java.util.List;
import java.util.Set;

/**
 * Follows a text like {@link TextFollower}, but in the paths named in {@code eosPaths} it emits
 * EOS where the text has {@code </Path>}: the engine must then write {@code "</Path>\n"} itself,
 * which the follower checks against the text.
 */
final class EosInjector implements TokenChooser {
    private final TextFollower follower;
    private final Set<String> eosPaths;
    private final String key;
    private final int pathEnd;
    private final int eos;

    EosInjector(TextFollower follower, Set<String> eosPaths, String key, int pathEnd, int eos) {
        this.follower = follower;
        this.eosPaths = eosPaths;
        this.key = key;
        this.pathEnd = pathEnd;
        this.eos = eos;
    }

    @Override
    public Pick next(int choosable) {
        if (eosPaths.contains(key) && follower.peek() == pathEnd) return Pick.given(eos);
        return follower.next(choosable);
    }

    @Override
    public void picked(int token) {
        follower.picked(token);
    }

    @Override
    public void forced(int token) {
        follower.forced(token);
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return new EosInjector((TextFollower) follower.child(index, outlineId, pathKey), eosPaths, pathKey, pathEnd, eos);
    }

    @Override
    public void joined(List<TokenChooser> children) {
        follower.joined(children.stream().map(c -> (TokenChooser) ((EosInjector) c).follower).toList());
    }
}
