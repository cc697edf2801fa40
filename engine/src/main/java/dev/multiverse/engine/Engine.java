package dev.multiverse.engine;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Multiverse engine: continuous batching of request trees over one backend.
 *
 * <p>Each {@link #step()} admits waiting requests (first come, first served, while their worst-case
 * slot need fits what the pool has not promised), stops requests that were cancelled or passed
 * their deadline, then runs every live sequence of every running request in one {@link
 * Backend#step} call: a sequence feeds its uncomputed tokens (a prompt in chunks of {@link
 * EngineConfig#prefillChunk()}, one sampled token, or a few engine-inserted ones), then chooses its
 * next token, forks, ends or joins (see {@link TagMachine} and {@link ForkJoin}).
 *
 * <p>One thread drives the engine ({@link #step()}, {@link #runUntilIdle()}, {@link #generate});
 * {@link #submit} and {@link RequestHandle#cancel()} may be called from any thread.
 */
public final class Engine {
    private final Backend backend;
    private final TreeContext tree;
    private final ForkJoin forkJoin;
    private final TagMachine tagMachine;
    private final ConcurrentLinkedQueue<RequestState> submitted = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<RequestState> waiting = new ArrayDeque<>();
    private final List<RequestState> running = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);

    public Engine(Backend backend, EngineVocabulary vocabulary, EngineConfig config) {
        this.backend = backend;
        this.tree = new TreeContext(new KvSlotPool(backend.slotCapacity()), vocabulary, config,
                backend.config().vocabSize());
        this.forkJoin = new ForkJoin(tree, this::finishRequest);
        this.tagMachine = new TagMachine(tree, forkJoin);
    }

    /** Queues a request; the next {@link #step()} admits it when the pool allows. */
    public RequestHandle submit(Request request) {
        var handle = new RequestHandle(nextId.getAndIncrement());
        int choosable = Math.min(tree.vocabularySize, tree.vocabulary.size());
        submitted.add(new RequestState(request, handle, System.nanoTime(), choosable));
        return handle;
    }

    /** The engine steps run so far (backend calls). */
    public long steps() {
        return tree.step;
    }

    /** The slot pool, for inspection: what is used, free and promised. */
    public KvSlotPool pool() {
        return tree.pool;
    }

    /** Whether any request is waiting or running. */
    public boolean hasWork() {
        return !submitted.isEmpty() || !waiting.isEmpty() || !running.isEmpty();
    }

    /** Steps until every submitted request has finished. */
    public void runUntilIdle() {
        while (hasWork()) step();
    }

    /** Submits {@code request} and steps (serving every other request too) until it finishes. */
    public GenerationResult generate(Request request) {
        RequestHandle handle = submit(request);
        while (!handle.isDone()) step();
        return handle.result().join();
    }

    /** One engine iteration: admission, interruptions, one batched backend call, then the tree logic. */
    public void step() {
        long now = System.nanoTime();
        for (RequestState r; (r = submitted.poll()) != null; ) waiting.add(r);
        admit(now);
        for (RequestState req : List.copyOf(running)) {
            EndReason why = req.interruption(now);
            if (why != null) forkJoin.stop(req, why);
        }
        List<Sequence> members = new ArrayList<>();
        List<SequenceStep> steps = new ArrayList<>();
        for (RequestState req : running) {
            boolean any = false;
            for (Sequence seq : req.sequences) {
                if (!seq.wantsStep()) continue;
                members.add(seq);
                steps.add(stepOf(seq));
                any = true;
            }
            if (any) req.steps++;
        }
        if (members.isEmpty()) return;
        tree.step++;
        StepResult result;
        try {
            result = backend.step(new Batch(steps));
        } catch (RuntimeException e) {
            for (Sequence seq : members) fail(seq.request, "the backend rejected step " + tree.step, e);
            return;
        }
        for (int i = 0; i < members.size(); i++) {
            Sequence seq = members.get(i);
            if (seq.request.finished) continue;
            try {
                tagMachine.afterCompute(seq, result.logits(i), steps.get(i).rows());
            } catch (RuntimeException e) {
                fail(seq.request, "while advancing " + (seq.isRoot() ? "the root" : "path " + seq.pathKey), e);
            }
        }
    }

    /** The step of one sequence: up to a chunk of its uncomputed tokens, seeing its computed ones. */
    private SequenceStep stepOf(Sequence seq) {
        int from = seq.computed;
        int to = Math.min(seq.entries.size(), from + tree.config.prefillChunk());
        int rows = to - from;
        int[] tokens = seq.tokens(from, to);
        int[] positions = new int[rows];
        boolean allLogits = false;
        for (int r = 0; r < rows; r++) {
            TokenEntry e = seq.entries.get(from + r);
            positions[r] = e.position();
            if (r > 0 && e.origin() != TokenEntry.Origin.PROMPT && Double.isNaN(e.logprob())) allLogits = tree.config.scoreTokens();
        }
        return new SequenceStep(tokens, positions, seq.slots(from, to), seq.slots(0, from), allLogits);
    }

    private void admit(long now) {
        while (!waiting.isEmpty()) {
            RequestState req = waiting.peek();
            EndReason why = req.interruption(now);
            if (why != null) {
                waiting.poll();
                req.handle.result().completeExceptionally(new RequestFailedException(
                        "request " + req.id() + ": " + why.label() + " before admission (it waited for KV slots)"));
                continue;
            }
            long need = req.request.slotsNeeded();
            if (need > tree.pool.capacity()) {
                waiting.poll();
                req.handle.result().completeExceptionally(new RequestFailedException("request " + req.id()
                        + " needs up to " + need + " KV slots (prompt " + req.promptLength + " + max_total_tokens "
                        + req.request.budgets().maxTotalTokens() + ") but the pool holds " + tree.pool.capacity()
                        + ": lower max_total_tokens or give the backend more slots"));
                continue;
            }
            if (running.size() >= tree.config.maxRunningRequests() || !tree.pool.canReserve(need)) return;
            waiting.poll();
            tree.pool.reserve(need);
            req.admittedNanos = now;
            running.add(req);
            Sequence root = Sequence.root(req, req.request.chooser());
            req.root = root;
            req.sequences.add(root);
            root.trace.started(0, 0);
            for (int t : req.request.prompt()) {
                if (t < 0 || t >= tree.vocabularySize) {
                    fail(req, "prompt token " + t + " is outside the vocabulary of " + tree.vocabularySize, null);
                    break;
                }
                tree.append(root, t, TokenEntry.Origin.PROMPT);
            }
        }
    }

    private void finishRequest(RequestState req, EndReason reason) {
        if (req.finished) return;
        req.finished = true;
        GenerationResult result = Results.of(req, reason, tree.vocabulary, System.nanoTime());
        releaseAll(req);
        req.request.listener().onFinish(req.id(), result);
        req.handle.result().complete(result);
    }

    private void fail(RequestState req, String what, Throwable cause) {
        if (req.finished) return;
        req.finished = true;
        releaseAll(req);
        String detail = cause == null ? "" : ": " + cause.getMessage();
        req.handle.result().completeExceptionally(new RequestFailedException("request " + req.id() + ": " + what + detail, cause));
    }

    private void releaseAll(RequestState req) {
        for (Sequence seq : req.sequences) tree.release(seq);
        tree.pool.unreserve(req.request.slotsNeeded());
        running.remove(req);
    }
}
