package dev.multiverse.cli;

import dev.multiverse.conformance.kit.KitExporter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code multiverse conformance export}: writes the conformance kit into a directory. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the conformance kit (kit.json, README.md, tokenizer/, layout/, model/, engine/) into --out,",
            "computing every expected value with this project's tokenizer, layout, reference model and engine."
        })
public final class ConformanceExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "conformance-kit",
            description = "the kit directory, absent or empty (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--tokenizer", paramLabel = "FILE", defaultValue = "../shared/tokenizers/multiverse-qwen2.5/tokenizer.json",
            description = "the Multiverse tokenizer.json, Qwen2.5 with the twelve tags (default: ${DEFAULT-VALUE})")
    Path tokenizer;

    @Option(names = "--arith-model", paramLabel = "DIR", defaultValue = "${sys:" + ModelOptions.DEFAULT_MODEL_PROPERTY + "}",
            description = "the project's small trained model, models/multiverse-arith (./multiverse sets the default)")
    Path arithModel;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "CPU threads (default: all cores)")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (arithModel == null) throw new BadInputException("no --arith-model: pass the models/multiverse-arith directory");
        if (threads < 0) throw new BadInputException("--threads must be >= 0, got " + threads);
        int team = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        KitExporter.Summary s = KitExporter.export(new KitExporter.Options(out, tokenizer, arithModel, team));
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote the conformance kit (format %d) to %s: %d tokenizer, %d layout, %d model and %d engine"
                        + " vectors; %d files, %.1f MB%n", KitExporter.FORMAT_VERSION, out, s.tokenizerCases(), s.layoutCases(),
                s.modelCases(), s.engineCases(), s.files(), s.bytes() / 1e6);
        o.flush();
        return MultiverseCli.EXIT_OK;
    }
}
