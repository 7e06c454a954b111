package xner.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xner.data.LabelSet;
import xner.model.TokenClassifier;
import xner.tokenize.Encoding;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

/**
 * {@code xner tag}: the chapter's {@code tag_text}: a text's sub-word tokens and the tag the model predicts
 * for each, special tokens included: {@code bin/xner tag --model runs/de "Jeff Dean ist ein Informatiker bei Google"}.
 */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Print a text's tokens and the tag predicted for each (the chapter's tag_text table).")
public final class TagCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A fine-tuned model folder.")
    Path model;

    @Parameters(index = "0", paramLabel = "TEXT", description = "The text to tag.")
    String text;

    @Override
    public Integer call() {
        try (Tokenizer tokenizer = Tokenizers.load(model); TokenClassifier classifier = TokenClassifier.load(model)) {
            Encoding encoding = tokenizer.encode(text);
            LabelSet labels = classifier.labels();
            List<String> tags = new ArrayList<>();
            try (NDManager call = classifier.parameters().manager().newSubManager()) {
                NDArray ids = call.create(new long[][] {encoding.idArray()});
                long[] best = classifier.logits(call, ids, null, false).argMax(-1).toLongArray();
                for (long id : best) tags.add(labels.name((int) id));
            }
            print(spec.commandLine().getOut(), encoding.tokens(), tags);
        }
        return Xner.EXIT_OK;
    }

    /** Two aligned rows, Tokens and Tags, as the chapter's DataFrame prints them. */
    static void print(PrintWriter out, List<String> tokens, List<String> tags) {
        StringBuilder top = new StringBuilder("Tokens");
        StringBuilder bottom = new StringBuilder("Tags  ");
        for (int i = 0; i < tokens.size(); i++) {
            int width = Math.max(tokens.get(i).length(), tags.get(i).length());
            top.append("  ").append(String.format("%-" + width + "s", tokens.get(i)));
            bottom.append("  ").append(String.format("%-" + width + "s", tags.get(i)));
        }
        out.println(top.toString().stripTrailing());
        out.println(bottom.toString().stripTrailing());
        out.flush();
    }
}
