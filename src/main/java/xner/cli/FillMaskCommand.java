package xner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.infer.FillMask;
import xner.model.MaskedLanguageModel;
import xner.model.ModelSource;
import xner.model.MultilingualBert;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

/**
 * {@code xner fill-mask}: the pretrained body's guesses for a masked word, as transformers' fill-mask
 * pipeline: {@code bin/xner fill-mask "Paris is the capital of [MASK] ."}.
 */
@Command(name = "fill-mask", mixinStandardHelpOptions = true,
        description = "Print the most probable tokens for each [MASK] (<mask> for XLM-R) in a text.")
public final class FillMaskCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEXT", description = "Text with at least one mask token.")
    String text;

    @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A model with its masked-language-model head (default: multilingual BERT from Maven Central)."
                    + ModelArgument.HELP)
    ModelSource model;

    @picocli.CommandLine.Mixin DeviceOption device;

    @picocli.CommandLine.Mixin PrecisionOption precisionOption;

    @Option(names = "--top-k", defaultValue = "5", description = "Guesses per mask (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() {
        if (topK < 1) throw new XnerInputException("--top-k must be at least 1, was " + topK);
        device.use();
        precisionOption.use();
        Path dir = model != null ? ModelArgument.fetch(model, spec.commandLine().getErr()).folder() : MultilingualBert.modelDir();
        try (Tokenizer tokenizer = Tokenizers.load(dir); MaskedLanguageModel mlm = MaskedLanguageModel.load(dir)) {
            List<FillMask.Mask> masks;
            try {
                masks = new FillMask(tokenizer, mlm).fill(text, topK);
            } catch (XnerInputException e) {
                throw new XnerInputException("TEXT: " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (int m = 0; m < masks.size(); m++) {
                if (masks.size() > 1) out.printf("mask %d (token %d):%n", m + 1, masks.get(m).position());
                for (FillMask.Guess g : masks.get(m).guesses()) {
                    out.printf("%-20s %.4f%n", tokenizer.idToToken(g.tokenId()), g.probability());
                }
            }
            out.flush();
        }
        return Xner.EXIT_OK;
    }
}
