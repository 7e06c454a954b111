package xner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.model.ModelSource;
import xner.onnx.OnnxExport;
import xner.onnx.OnnxQuantizer;

/**
 * {@code xner export}: a fine-tuned model as ONNX, in Hugging Face Optimum's layout:
 * {@code bin/xner export --model runs/de --output runs/de-onnx [--quantize int8]}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a fine-tuned model as ONNX, as Hugging Face Optimum lays it out: model.onnx (or model_quantized.onnx "
                + "with --quantize int8) beside config.json and the tokenizer files.",
                "Inputs input_ids, attention_mask, token_type_ids (int64, batch × sequence), output logits, standard ONNX "
                        + "operators. Run it with --runtime onnx (tag, evaluate, serve, bench infer: xner builds ONNX Runtime's "
                        + "fused form of model.onnx as it loads it), ONNX Runtime elsewhere, or transformers.js."})
public final class ExportCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A fine-tuned token classifier (config.json, its weights, tokenizer files); with --quantize, a "
                    + "folder holding model.onnx will do." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where the ONNX model goes (may be --model's folder: the files are added beside the weights).")
    Path output;

    @Option(names = "--quantize", paramLabel = "int8",
            description = "Write model_quantized.onnx instead: the encoder's weight matrices as int8, activations quantized "
                    + "at run time (ONNX Runtime's quantize_dynamic); embeddings and the head stay float32.")
    String quantize;

    @Option(names = "--per-tensor", description = "One int8 scale a weight matrix instead of one per output column.")
    boolean perTensor;

    @Override
    public Integer call() throws IOException {
        OnnxQuantizer.Granularity granularity = null;
        if (quantize != null) {
            if (!quantize.toLowerCase(Locale.ROOT).equals("int8")) {
                throw new XnerInputException("--quantize: only int8 is supported, got \"" + quantize + "\"");
            }
            granularity = perTensor ? OnnxQuantizer.Granularity.PER_TENSOR : OnnxQuantizer.Granularity.PER_CHANNEL;
        } else if (perTensor) {
            throw new XnerInputException("--per-tensor applies to --quantize int8 only");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path modelDir = ModelArgument.fetch(model, err).folder();
        long started = System.nanoTime();
        OnnxExport.Written written = OnnxExport.export(modelDir, output, granularity);
        err.printf(Locale.ROOT, "xner: %s → %s (%,.1f MB, from %s%s) in %.1f s%n", model, written.file(), written.bytes() / 1e6,
                written.from(), granularity == null ? "" : ", int8 " + granularity.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                (System.nanoTime() - started) / 1e9);
        err.flush();
        return Xner.EXIT_OK;
    }
}
