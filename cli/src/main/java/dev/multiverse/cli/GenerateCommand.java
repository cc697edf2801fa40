package dev.multiverse.cli;

import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineListener;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestFailedException;
import dev.multiverse.engine.Stats;
import dev.multiverse.engine.TraceJson;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse generate}: answers a question with the Multiverse engine, streaming the text.
 * On a terminal the parallel paths grow side by side in a panel; otherwise the merged text is
 * printed as it becomes final. {@code --json} prints the trace instead.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates an answer, forking at </Goal> and joining at the last </Path> as the model writes them.",
            "The prompt is wrapped in Qwen2.5's chat format with the Multiverse instruction unless --raw.",
            "Statistics (tokens, critical path, parallelism, steps, time) go to stderr."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin SamplingOptions options;

    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "the question (or use --prompt)")
    String positional;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "the question")
    String prompt;

    @Option(names = "--raw", description = "send the prompt as it is, without the chat format")
    boolean raw;

    @Option(names = "--json", description = "print the trace (JSON) instead of streaming the text")
    boolean json;

    @Option(names = "--view", defaultValue = "auto", paramLabel = "auto|panel|plain",
            description = "panel: paths side by side (ANSI); plain: the merged text; auto: panel on a terminal")
    String view;

    @Override
    public Integer call() {
        String question = question();
        var defaults = GenerationDefaults.of(model.directory());
        var sampling = options.sampling(defaults);
        var budgets = options.budgets(defaults);
        var config = options.engineConfig();
        Tokenizer tokenizer = model.tokenizer();
        int[] tokens = tokenizer.encode(raw ? question : ChatFormat.qwen25().multiversePrompt(question));
        var out = spec.commandLine().getOut();
        var request = Request.sampled(tokens, sampling, budgets);
        try (var loaded = model.open(tokenizer, Math.toIntExact(request.slotsNeeded()))) {
            var engine = new Engine(loaded.backend(), loaded.vocabulary(), config);
            EngineListener listener = json ? EngineListener.NONE : streamView(tokenizer, out);
            GenerationResult result;
            try {
                result = engine.generate(request.withListener(listener));
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RequestFailedException f) throw new BadInputException(f.getMessage(), f);
                throw e;
            }
            if (json) {
                out.println(TraceJson.write(TraceJson.of(result)));
            } else {
                out.println();
            }
            out.flush();
            if (!json) printStats(result);
        }
        return MultiverseCli.EXIT_OK;
    }

    private String question() {
        if ((positional == null) == (prompt == null))
            throw new BadInputException("give the prompt either as an argument or with --prompt (exactly one)");
        return prompt != null ? prompt : positional;
    }

    private EngineListener streamView(Tokenizer tokenizer, java.io.PrintWriter out) {
        boolean panel = switch (view) {
            case "panel" -> true;
            case "plain" -> false;
            case "auto" -> System.console() != null && System.console().isTerminal();
            default -> throw new BadInputException("--view must be auto, panel or plain, got " + view);
        };
        if (!panel) return new PathTexts(tokenizer, text -> {
            out.print(text);
            out.flush();
        });
        int width = 120;
        try {
            width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120"));
        } catch (NumberFormatException ignored) {
            // keep 120
        }
        return new PathPanel(tokenizer, out, width);
    }

    private void printStats(GenerationResult r) {
        Stats s = r.stats();
        var err = spec.commandLine().getErr();
        err.printf("[%s: %d tokens, critical path %d, parallelism %.2f, %d paths, %d steps, %.1f s]%n",
                r.finishReason().label(), s.totalTokens(), s.criticalPath(), s.parallelismRatio(), s.paths(), s.steps(),
                s.wallMs() / 1000);
        err.flush();
    }
}
