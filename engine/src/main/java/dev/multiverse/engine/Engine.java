package dev.multiverse.engine;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunAppend;
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
    private static final long[] NO_RUNS = new long[0];
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
        List<RunAppend> appends = new ArrayList<>();
        for (RequestState req : running) {
            boolean any = false;
            for (Sequence seq : req.sequences) {
                if (!seq.wantsStep()) continue;
                members.add(seq);
                steps.add(stepOf(seq, appends));
                any = true;
            }
            if (any) req.steps++;
        }
        if (members.isEmpty()) {
            forgetWhenIdle();
            return;
        }
        tree.step++;
        StepResult result;
        try {
            result = backend.step(new Batch(appends, steps, tree.takeForgotten(), NO_RUNS));
        } catch (RuntimeException e) {
            for (Sequence seq : members) fail(seq.request, "the backend rejected step " + tree.step, e);
            return;
        }
        for (int i = 0; i < members.size(); i++) {
            Sequence seq = members.get(i);
            if (seq.request.finished) continue;
            try {
                tagMachine.afterCompute(seq, result.get(i), steps.get(i).readout(), steps.get(i).rows());
            } catch (RuntimeException e) {
                fail(seq.request, "while advancing " + (seq.isRoot() ? "the root" : "path " + seq.pathKey), e);
            }
        }
        if (!hasWork()) forgetWhenIdle();
    }

    /** With nothing left to run, a batch of forgets alone lets the backend drop the finished runs now. */
    private void forgetWhenIdle() {
        if (!tree.hasForgotten()) return;
        try {
            backend.step(new Batch(List.of(), List.of(), tree.takeForgotten(), NO_RUNS));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the backend refused to forget finished runs", e);
        }
    }

    /**
     * The step of one sequence: up to a chunk of its own run's unsent entries, sent as that run's
     * delta, seeing its chain and the entries before them. Marks them sent.
     */
    private SequenceStep stepOf(Sequence seq, List<RunAppend> appends) {
        SlotRun own = seq.own;
        int from = own.sent;
        int to = Math.min(own.size(), from + tree.config.prefillChunk());
        int rows = to - from;
        int[] slots = new int[rows], tokens = new int[rows], positions = new int[rows];
        boolean rowLogprobs = false;
        for (int r = 0; r < rows; r++) {
            TokenEntry e = own.get(from + r);
            slots[r] = e.slot();
            tokens[r] = e.token();
            positions[r] = e.position();
            if (r > 0 && e.origin() != TokenEntry.Origin.PROMPT && Double.isNaN(e.logprob())) rowLogprobs = tree.config.scoreTokens();
        }
        appends.add(new RunAppend(own.id, from, slots, tokens));
        own.sent = to;
        Readout readout = to == own.size() ? tagMachine.readoutOf(seq, rowLogprobs) : chunkReadout(own.get(to), rowLogprobs);
        return new SequenceStep(seq.runIds, to, positions, readout);
    }

    /**
     * What a chunk that leaves entries for later steps wants: the log-prob of the entry after it,
     * if that one still needs one (the next chunk's first row is scored from this chunk's last).
     */
    private Readout chunkReadout(TokenEntry following, boolean rowLogprobs) {
        boolean scored = tree.config.scoreTokens() && following.origin() != TokenEntry.Origin.PROMPT
                && Double.isNaN(following.logprob());
        return new Readout(rowLogprobs, Pick.none(), scored ? new int[] {following.token()} : null, 0, false);
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
            Sequence root = Sequence.root(req, req.request.chooser(), tree.newRun());
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
