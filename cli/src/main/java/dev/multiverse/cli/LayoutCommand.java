package dev.multiverse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.layout.Block;
import dev.multiverse.layout.GrammarBreak;
import dev.multiverse.layout.GrammarOptions;
import dev.multiverse.layout.Layout;
import dev.multiverse.layout.PathSpan;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse layout}: tokenizes a generated text and prints its Multiverse layout (spec
 * section 3) and grammar breaks (section 2) as one JSON object. Exit 3 after printing when the
 * text breaks the grammar.
 */
@Command(
        name = "layout",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the Multiverse layout of a generated text as one JSON object: tokens (ids), positions,",
            "blocks (path spans [start, end) and nested blocks), breaks (token index, rule, message),",
            "critical_path and parallelism (tokens / critical path). Exit 3 when the text breaks the grammar."
        })
public final class LayoutCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "tokenizer.json (plain or gzip)")
    Path tokenizerFile;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "the generated text, UTF-8")
    Path textFile;

    @Option(names = "--think-only", description = "the text is the Think section alone: it may end right after </Think>")
    boolean thinkOnly;

    @Override
    public Integer call() throws IOException {
        String text = Files.readString(textFile);  // first: a missing text fails before the slow load
        Tokenizer tokenizer = load(tokenizerFile);
        int[] tokens = tokenizer.encode(text);
        var options = GrammarOptions.withText(id -> tokenizer.decode(new int[] {id}));
        Layout layout = Layout.of(tokens, tokenizer.tags(), thinkOnly ? options.thinkSectionOnly() : options);

        var out = spec.commandLine().getOut();
        out.println(JSON.writeValueAsString(toJson(tokens, layout)));
        out.flush();
        List<GrammarBreak> breaks = layout.breaks();
        if (!breaks.isEmpty()) {
            GrammarBreak first = breaks.getFirst();
            throw new GrammarBreakException(textFile + ": " + breaks.size() + " grammar break(s); first at token "
                    + first.tokenIndex() + ", " + first.rule() + ": " + first.message());
        }
        return MultiverseCli.EXIT_OK;
    }

    private static Tokenizer load(Path file) throws IOException {
        try {
            return Tokenizer.load(file);
        } catch (TokenizerFormatException e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(int[] tokens, Layout layout) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode ids = root.putArray("tokens");
        for (int t : tokens) ids.add(t);
        ArrayNode positions = root.putArray("positions");
        for (int p : layout.positions()) positions.add(p);
        ArrayNode blocks = root.putArray("blocks");
        for (Block b : layout.topLevelBlocks()) blocks.add(toJson(b));
        ArrayNode breaks = root.putArray("breaks");
        for (GrammarBreak b : layout.breaks()) {
            breaks.addObject().put("token_index", b.tokenIndex()).put("rule", b.rule().name()).put("message", b.message());
        }
        root.put("critical_path", layout.criticalPath());
        root.put("parallelism", layout.parallelism());
        return root;
    }

    private static ObjectNode toJson(Block b) {
        ObjectNode node = JSON.createObjectNode();
        node.put("parallel", b.parallelIndex()).put("fork", b.forkIndex()).put("depth", b.depth());
        ArrayNode paths = node.putArray("paths");
        for (PathSpan p : b.paths()) paths.addArray().add(p.start()).add(p.end());
        node.put("conclusion", b.conclusionIndex()).put("close", b.closeIndex()).put("end", b.end());
        ArrayNode nested = node.putArray("blocks");
        for (Block child : b.children()) nested.add(toJson(child));
        return node;
    }
}
