package dev.multiverse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.tokenizer.InvalidUtf8Exception;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.tokenizer.TokenizerFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse tokenize}: the token ids of a UTF-8 text file as one JSON array on one line,
 * or with {@code --decode} the text of a JSON array of ids (printed as is, no newline added).
 */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the token ids of a UTF-8 text file as one JSON array on one line (added and special tokens",
            "written in the text, such as <|im_start|> or <Think>, become their ids).",
            "With --decode, reads a JSON array of ids from the file and prints their text."
        })
public final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE",
            description = "tokenizer.json (or tokenizer.json.gz) of a Qwen2-family byte-level BPE tokenizer")
    Path tokenizerFile;

    @Option(names = "--text-file", required = true, paramLabel = "FILE",
            description = "the UTF-8 text to tokenize, or with --decode the JSON array of ids")
    Path textFile;

    @Option(names = "--decode", description = "read ids and print their text")
    boolean decode;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Tokenizer tokenizer = loadTokenizer();
        byte[] input = readFile(textFile, "--text-file");
        PrintWriter out = spec.commandLine().getOut();
        if (decode) {
            out.print(decodeIds(tokenizer, input));
        } else {
            out.println(toJson(encode(tokenizer, input)));
        }
        out.flush();
        return MultiverseCli.EXIT_OK;
    }

    private Tokenizer loadTokenizer() throws IOException {
        readable(tokenizerFile, "--tokenizer");
        try {
            return Tokenizer.load(tokenizerFile);
        } catch (TokenizerFormatException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private int[] encode(Tokenizer tokenizer, byte[] utf8) {
        try {
            return tokenizer.encodeUtf8(utf8);
        } catch (InvalidUtf8Exception e) {
            throw new BadInputException(textFile + ": " + e.getMessage(), e);
        }
    }

    private String decodeIds(Tokenizer tokenizer, byte[] json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new BadInputException(textFile + ": not a JSON array of token ids: " + detail, e);
        }
        if (root == null || !root.isArray()) {
            throw new BadInputException(textFile + ": not a JSON array of token ids");
        }
        int[] ids = new int[root.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = root.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new BadInputException(textFile + ": element " + i + " is not an integer token id: " + id);
            }
            ids[i] = id.asInt();
        }
        try {
            return tokenizer.decode(ids);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(textFile + ": " + e.getMessage(), e);
        }
    }

    private static String toJson(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 7 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(ids[i]);
        }
        return sb.append(']').toString();
    }

    private static void readable(Path file, String option) {
        if (!Files.isRegularFile(file)) throw new BadInputException(option + ": no such file: " + file);
    }

    private static byte[] readFile(Path file, String option) throws IOException {
        readable(file, option);
        return Files.readAllBytes(file);
    }
}
