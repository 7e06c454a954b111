package xner.cli;

import picocli.CommandLine.Option;
import xner.infer.TagPipeline;

/**
 * How the tagging pipeline cuts texts into windows and windows into forward passes: the options every command that
 * tags shares (tag, serve, select, annotate, spark-tag), with one set of names, defaults and help.
 *
 * <pre>
 *   &#64;Mixin PipelineOptions pipeline;
 *   TagPipeline.load(model, pipeline.options(), runtime);
 * </pre>
 */
public final class PipelineOptions {
    @Option(names = {"--batch-size", "--max-batch"}, defaultValue = "" + TagPipeline.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "Windows (texts, or parts of long ones) per forward pass, at most (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-tokens", defaultValue = "" + TagPipeline.DEFAULT_MAX_TOKENS, paramLabel = "N",
            description = "Padded tokens per forward pass, at most: what bounds the memory of a pass, about 70 MB a "
                    + "512-token window for BERT-base (default: ${DEFAULT-VALUE}, eight full windows).")
    int maxTokens;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "TOKENS",
            description = "Tokens per window, special tokens included; longer texts are cut into overlapping windows "
                    + "(default: the model's, 512 for BERT).")
    int maxLength;

    @Option(names = "--stride", defaultValue = "-1", paramLabel = "TOKENS",
            description = "Tokens shared by consecutive windows of a long text (default: 128, at most half a window).")
    int stride;

    /** The options as the pipeline takes them (checked there). */
    public TagPipeline.Options options() {
        return new TagPipeline.Options(maxLength, stride, batchSize, maxTokens);
    }
}
