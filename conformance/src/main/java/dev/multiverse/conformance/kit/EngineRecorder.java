package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.EndReason;
import dev.multiverse.engine.EngineListener;
import dev.multiverse.engine.TokenEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Listens to one request and writes down, step by step, which sequences exist (with their parent
 * and whether they run or wait for their children), the tokens each appended, and the forks, path
 * ends and joins: the {@code steps}, {@code sequences} and {@code events} of an engine vector.
 * The driver calls {@link #endOfStep()} after every engine step.
 */
final class EngineRecorder implements EngineListener {
    /** One sequence of the tree. */
    private static final class Seq {
        final String key, parent, outlineId;
        final long created;
        String state = "running";
        long ended = -1;
        String endReason;

        Seq(String key, String parent, String outlineId, long created) {
            this.key = key;
            this.parent = parent;
            this.outlineId = outlineId;
            this.created = created;
        }
    }

    private final LongSupplier step;
    private final Map<String, Seq> sequences = new LinkedHashMap<>();
    private final Map<String, List<Integer>> appended = new LinkedHashMap<>();
    private final ArrayNode steps = KitJson.JSON.createArrayNode();
    private final ArrayNode events = KitJson.JSON.createArrayNode();

    EngineRecorder(LongSupplier step) {
        this.step = step;
        sequences.put("", new Seq("", null, "", 0));
    }

    @Override
    public void onToken(long requestId, String pathKey, int token, TokenEntry.Origin origin) {
        if (origin != TokenEntry.Origin.PROMPT) appended.computeIfAbsent(pathKey, k -> new ArrayList<>()).add(token);
    }

    @Override
    public void onFork(long requestId, String parentKey, List<String> childKeys, List<String> outlineIds) {
        sequences.get(parentKey).state = "waiting";
        for (int i = 0; i < childKeys.size(); i++)
            sequences.put(childKeys.get(i), new Seq(childKeys.get(i), parentKey, outlineIds.get(i), step.getAsLong()));
        ObjectNode e = event("fork", parentKey);
        e.set("children", KitJson.JSON.valueToTree(childKeys));
        e.set("outline_ids", KitJson.JSON.valueToTree(outlineIds));
    }

    @Override
    public void onPathEnd(long requestId, String pathKey, EndReason reason) {
        Seq s = sequences.get(pathKey);
        s.state = "ended";
        s.ended = step.getAsLong();
        s.endReason = reason.label();
        event("end", pathKey).put("reason", reason.label());
    }

    @Override
    public void onJoin(long requestId, String parentKey) {
        sequences.get(parentKey).state = "running";
        event("join", parentKey);
    }

    private ObjectNode event(String kind, String key) {
        return events.addObject().put("step", step.getAsLong()).put("event", kind).put("key", key);
    }

    /** Takes the snapshot of the step just run: the sequences that exist after it and what each appended in it. */
    void endOfStep() {
        ObjectNode s = steps.addObject();
        s.put("step", step.getAsLong());
        ArrayNode live = s.putArray("sequences");
        for (Seq q : sequences.values()) {
            if (q.state.equals("ended")) continue;
            ArrayNode entry = live.addArray().add(q.key);
            if (q.parent == null) entry.addNull();
            else entry.add(q.parent);
            entry.add(q.state);
        }
        ObjectNode tokens = s.putObject("appended");
        appended.forEach((key, ids) -> tokens.set(key, KitJson.JSON.valueToTree(ids)));
        appended.clear();
    }

    ArrayNode steps() {
        return steps;
    }

    ArrayNode events() {
        return events;
    }

    /** Every sequence the request had: key, parent, Outline id, the steps it was created and ended at, why it ended. */
    ArrayNode sequences() {
        ArrayNode out = KitJson.JSON.createArrayNode();
        for (Seq q : sequences.values()) {
            ObjectNode n = out.addObject().put("key", q.key);
            if (q.parent == null) n.putNull("parent");
            else n.put("parent", q.parent);
            n.put("outline_id", q.outlineId).put("created_step", q.created).put("ended_step", q.ended);
            if (q.endReason == null) n.putNull("end_reason");
            else n.put("end_reason", q.endReason);
        }
        return out;
    }
}
