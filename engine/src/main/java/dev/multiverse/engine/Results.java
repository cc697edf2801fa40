package dev.multiverse.engine;

import java.util.Arrays;
import java.util.List;

/** Builds a finished request's {@link GenerationResult} from what its root sees at the end (the merged text). */
final class Results {
    private Results() {}

    static GenerationResult of(RequestState req, EndReason reason, EngineVocabulary vocabulary, long nowNanos) {
        List<TokenEntry> merged = req.root.entries();
        int n = merged.size();
        int[] tokens = new int[n];
        int[] positions = new int[n];
        double[] logprobs = new double[n];
        String[] keys = new String[n];
        var origins = new TokenEntry.Origin[n];
        int largest = -1;
        for (int i = 0; i < n; i++) {
            TokenEntry e = merged.get(i);
            tokens[i] = e.token();
            positions[i] = e.position();
            logprobs[i] = e.logprob();
            keys[i] = e.pathKey();
            origins[i] = e.origin();
            largest = Math.max(largest, e.position());
        }
        int prompt = req.promptLength;
        int total = n - prompt;
        int critical = largest + 1 - prompt;
        double ratio = critical == 0 ? 0 : (double) total / critical;
        double wallMs = req.msSinceAdmission(nowNanos);
        var stats = new Stats(prompt, total, critical, ratio, req.steps, req.paths, wallMs);
        var trace = new Trace(reason.label(), prompt, req.root.trace.freeze(), stats);
        String text = vocabulary.decode(Arrays.copyOfRange(tokens, prompt, n));
        return new GenerationResult(req.id(), tokens, positions, logprobs, keys, origins, prompt, text, reason, trace);
    }
}
