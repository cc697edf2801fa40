package dev.multiverse.conformance.kit;

import dev.multiverse.contract.Pick;
import dev.multiverse.engine.TokenChooser;
import java.util.Map;

/**
 * The "model" of a scripted engine vector: every sequence emits the tokens of its own script, in
 * order, whatever the model would choose; the root's script runs on after each join. Scripts are keyed by
 * path key ({@code ""} for the root, {@code "/0:2"} for path 2 of the root's first block, {@code
 * "/0:2/0:2.1"} below it). A sequence whose script is used up ends ({@link #END}); the kit's scripts
 * end with EOS or {@code </Path>} instead, so that never happens unless a case says so.
 */
final class ScriptedChooser implements TokenChooser {
    private final Map<String, int[]> scripts;
    private final int[] script;
    private int next;

    ScriptedChooser(Map<String, int[]> scripts, String key) {
        this.scripts = scripts;
        this.script = scripts.getOrDefault(key, new int[0]);
    }

    @Override
    public Pick next(int choosable) {
        return next < script.length ? Pick.given(script[next++]) : END;
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return new ScriptedChooser(scripts, pathKey);
    }
}
