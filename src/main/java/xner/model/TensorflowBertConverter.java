package xner.model;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xner.XnerInputException;
import xner.model.weights.SafetensorsWriter;
import xner.model.weights.WeightReader;

/**
 * Converts a Google BERT TensorFlow checkpoint into a Hugging Face model folder, as transformers'
 * {@code load_tf_weights_in_bert}: {@code bert/encoder/layer_3/attention/self/query/kernel} becomes
 * {@code bert.encoder.layer.3.attention.self.query.weight}, kernels [in, out] are transposed to Linear's
 * [out, in], LayerNorm's {@code gamma}/{@code beta} become {@code weight}/{@code bias}, and the masked-LM
 * decoder stays tied to the word embeddings ({@code cls/predictions/output_bias} becomes
 * {@code cls.predictions.bias}). A TF-Hub {@code module/} prefix is dropped; optimizer slots and counters are
 * not weights and are skipped.
 */
public final class TensorflowBertConverter {
    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
    private static final Pattern NOT_WEIGHTS = Pattern.compile(".*(adam_m|adam_v|global_step|Momentum).*");

    private TensorflowBertConverter() {}

    /** The Hugging Face name of a TensorFlow variable, or empty for variables that are not BERT weights. */
    public static Optional<String> huggingFaceName(String tfName) {
        String n = tfName.startsWith("module/") ? tfName.substring("module/".length()) : tfName;
        if (NOT_WEIGHTS.matcher(n).matches() || !(n.startsWith("bert/") || n.startsWith("cls/"))) {
            return Optional.empty();
        }
        switch (n) {
            case "cls/predictions/output_bias": return Optional.of("cls.predictions.bias");
            case "cls/seq_relationship/output_weights": return Optional.of("cls.seq_relationship.weight");
            case "cls/seq_relationship/output_bias": return Optional.of("cls.seq_relationship.bias");
            default: break;
        }
        String[] parts = n.split("/");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            Matcher layer = LAYER.matcher(part);
            boolean last = i == parts.length - 1;
            if (layer.matches()) out.add("layer." + layer.group(1));
            else if (last && (part.equals("kernel") || part.equals("gamma"))) out.add("weight");
            else if (last && part.equals("beta")) out.add("bias");
            else if (last && part.endsWith("_embeddings")) {
                out.add(part);
                out.add("weight");
            } else out.add(part);
        }
        return Optional.of(String.join(".", out));
    }

    /** Whether a variable is a dense kernel, stored [in, out] by TensorFlow and [out, in] by PyTorch. */
    static boolean isKernel(String tfName) {
        return tfName.endsWith("/kernel");
    }

    /**
     * The config a BERT checkpoint implies: sizes read from its tensors' shapes; the number of attention
     * heads, which no shape shows, given.
     */
    public static BertConfig inferConfig(WeightReader bundle, int numAttentionHeads) {
        Map<String, String> tfByHf = tfNamesByHuggingFaceName(bundle);
        Shape words = shape(bundle, tfByHf, "bert.embeddings.word_embeddings.weight");
        Shape positions = shape(bundle, tfByHf, "bert.embeddings.position_embeddings.weight");
        Shape types = shape(bundle, tfByHf, "bert.embeddings.token_type_embeddings.weight");
        Shape intermediate = shape(bundle, tfByHf, "bert.encoder.layer.0.intermediate.dense.weight");
        TreeSet<Integer> layers = new TreeSet<>();
        for (String hf : tfByHf.keySet()) {
            Matcher m = Pattern.compile("bert\\.encoder\\.layer\\.(\\d+)\\..*").matcher(hf);
            if (m.matches()) layers.add(Integer.parseInt(m.group(1)));
        }
        return BertConfig.defaults("bert")
                .withSizes((int) words.get(0), (int) words.get(1), layers.size(), numAttentionHeads,
                        (int) intermediate.get(0))
                .withEmbeddingTables((int) positions.get(0), (int) types.get(0))
                .withArchitectures(List.of("BertForMaskedLM"));
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} (tensors in name order) and the vocabulary into
     * {@code target}, an existing empty folder. Every parameter of {@link MaskedLanguageModel} (with pooler)
     * must be in the checkpoint with the shape {@code config} implies.
     */
    public static void convert(WeightReader bundle, BertConfig config, Path vocab, Path target) throws IOException {
        Map<String, String> tfByHf = tfNamesByHuggingFaceName(bundle);
        for (ParameterSpec spec : MaskedLanguageModel.specs(config, true)) {
            Shape shape = shape(bundle, tfByHf, spec.name());
            if (!shape.equals(spec.shape())) {
                throw new XnerInputException(bundle.file() + ": tensor \"" + tfByHf.get(spec.name()) + "\" gives "
                        + spec.name() + " the shape " + shape + ", config implies " + spec.shape());
            }
        }
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        tfByHf.forEach((hf, tf) -> tensors.add(new SafetensorsWriter.Tensor(hf, shape(bundle, tfByHf, hf),
                () -> isKernel(tf) ? transpose(bundle.read(tf), bundle.shape(tf)) : bundle.read(tf))));
        tensors.sort(Comparator.comparing(SafetensorsWriter.Tensor::name));
        config.write(target.resolve(ModelDirectory.CONFIG));
        SafetensorsWriter.write(target.resolve(ModelDirectory.WEIGHTS), tensors, Map.of("format", "pt"));
        Files.copy(vocab, target.resolve("vocab.txt"));
        // what transformers' BertTokenizer reads beside vocab.txt: the model is cased
        Files.writeString(target.resolve("tokenizer_config.json"), "{\n  \"do_lower_case\": false,\n"
                + "  \"model_max_length\": " + config.maxPositionEmbeddings() + ",\n"
                + "  \"tokenizer_class\": \"BertTokenizer\"\n}\n");
    }

    private static Map<String, String> tfNamesByHuggingFaceName(WeightReader bundle) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String tf : bundle.names()) huggingFaceName(tf).ifPresent(hf -> map.put(hf, tf));
        return map;
    }

    // the shape of the Hugging Face tensor: a kernel's transposed
    private static Shape shape(WeightReader bundle, Map<String, String> tfByHf, String hf) {
        String tf = tfByHf.get(hf);
        if (tf == null) {
            throw new XnerInputException(bundle.file() + ": no TensorFlow variable for " + hf
                    + " (is this a BERT checkpoint?); closest present: "
                    + WeightReader.closest(hf, tfByHf.keySet(), 3));
        }
        Shape s = bundle.shape(tf);
        return isKernel(tf) ? new Shape(s.get(1), s.get(0)) : s;
    }

    /** A row-major (rows, cols) matrix transposed to (cols, rows). */
    static float[] transpose(float[] values, Shape shape) {
        int rows = (int) shape.get(0);
        int cols = (int) shape.get(1);
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
        }
        return out;
    }
}
