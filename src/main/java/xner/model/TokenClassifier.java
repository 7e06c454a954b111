package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.model.weights.WeightReader;

/**
 * A pretrained body with a token-classification head, as transformers' {@code BertForTokenClassification} /
 * {@code XLMRobertaForTokenClassification} / {@code DistilBertForTokenClassification} (and RoBERTa's and
 * CamemBERT's): encoder → dropout ({@code hidden_dropout_prob}, DistilBERT's {@code dropout}) → one linear layer to
 * {@code num_labels} logits per token. The body has no pooler.
 *
 * <pre>
 *   try (TokenClassifier model = TokenClassifier.fromPretrained(MultilingualBert.modelDir(), LabelSet.PANX, 42)) {
 *       System.out.println(model.loadReport().describe());   // classifier.* newly initialised; pooler, cls.* unused
 *   }
 * </pre>
 */
public final class TokenClassifier implements LogitsModel {
    public static final String WEIGHT = "classifier.weight";
    static final String BIAS = "classifier.bias";

    private final BertConfig config;
    private final Parameters parameters;
    private final Encoder encoder;
    private final LoadReport loadReport;

    private TokenClassifier(BertConfig config, Parameters parameters, LoadReport loadReport) {
        this.config = config;
        this.parameters = parameters;
        this.encoder = Encoder.of(config, parameters);
        this.loadReport = loadReport;
    }

    /**
     * A pretrained body (a Hugging Face model folder) with a fresh head for {@code labels}: weights drawn
     * from N(0, initializer_range) with {@code seed}, bias 0. The chapter's {@code model_init}.
     */
    public static TokenClassifier fromPretrained(Path bodyDir, LabelSet labels, long seed) {
        BertConfig body = ModelDirectory.readConfig(bodyDir);
        if (!body.id2label().isEmpty() && hasHead(bodyDir)) {
            return adapt(bodyDir, body, labels, seed);
        }
        BertConfig config = body.withLabels(labels.names()).withArchitectures(List.of(architecture(body)));
        return load(bodyDir, config, seed);
    }

    private static boolean hasHead(Path dir) {
        try (WeightReader weights = ModelDirectory.openWeights(dir)) {
            return weights.contains(WEIGHT);
        }
    }

    /**
     * A fine-tuned token classifier as the start of another fine-tuning (domain adaptation: PAN-X first, then
     * a user's data). With the same labels in the same order, the head is kept as it is. Otherwise the head is
     * resized, as transformers' {@code ignore_mismatched_sizes=True}: the rows of labels both sets share are
     * copied from the old head by name, the others drawn afresh (N(0, initializer_range), bias 0).
     */
    private static TokenClassifier adapt(Path dir, BertConfig old, LabelSet labels, long seed) {
        TokenClassifier model = load(dir, old, seed);
        List<String> before = old.id2label();
        if (before.equals(labels.names())) return model;
        try {
            int hidden = old.hiddenSize();
            float[] oldWeight = model.parameters.get(WEIGHT).toFloatArray();
            float[] oldBias = model.parameters.get(BIAS).toFloatArray();
            float[] weight = new float[labels.size() * hidden];
            float[] bias = new float[labels.size()];
            Random random = new Random(seed);
            List<String> kept = new ArrayList<>();
            List<String> fresh = new ArrayList<>();
            for (int row = 0; row < labels.size(); row++) {
                int from = before.indexOf(labels.name(row));
                if (from >= 0) {
                    System.arraycopy(oldWeight, from * hidden, weight, row * hidden, hidden);
                    bias[row] = oldBias[from];
                    kept.add(labels.name(row));
                } else {
                    for (int k = 0; k < hidden; k++) weight[row * hidden + k] = (float) (random.nextGaussian() * old.initializerRange());
                    fresh.add(labels.name(row));
                }
            }
            model.parameters.replace(WEIGHT, weight, new Shape(labels.size(), hidden));
            model.parameters.replace(BIAS, bias, new Shape(labels.size()));
            BertConfig config = old.withLabels(labels.names());
            String shapes = "found shape [" + before.size() + ", " + hidden + "] in the checkpoint and [" + labels.size() + ", "
                    + hidden + "] in the model; rows kept for " + kept + ", new for " + fresh;
            LoadReport report = model.loadReport.withMismatched(List.of(WEIGHT + ": " + shapes,
                    BIAS + ": found shape [" + before.size() + "] in the checkpoint and [" + labels.size() + "] in the model"));
            return new TokenClassifier(config, model.parameters, report);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A fine-tuned model folder: its {@code config.json} names the labels ({@code id2label}). */
    public static TokenClassifier load(Path dir) {
        BertConfig config = ModelDirectory.readConfig(dir);
        if (config.id2label().isEmpty()) {
            throw new XnerInputException(dir.resolve(ModelDirectory.CONFIG)
                    + ": no id2label: this is not a token-classification model (fine-tune one with xner train)");
        }
        if (!config.tagScheme().equals(BertConfig.TAG_SCHEME)) {
            throw new XnerInputException(dir.resolve(ModelDirectory.CONFIG) + ": " + BertConfig.TAG_SCHEME_KEY + " is \""
                    + config.tagScheme() + "\"; xner decodes IOB2 tags only");
        }
        TokenClassifier model = load(dir, config, 0);
        if (!model.loadReport.newlyInitialised().isEmpty()) { // a fine-tuned model must be whole: never fill it with noise
            List<String> missing = model.loadReport.newlyInitialised();
            model.close();
            List<String> present;
            Path file;
            try (WeightReader weights = ModelDirectory.openWeights(dir)) {
                present = weights.names().stream().sorted().limit(5).toList();
                file = weights.file();
            }
            throw new XnerInputException(file + ": " + missing.size() + " tensors of the model are missing: "
                    + missing.subList(0, Math.min(5, missing.size())) + (missing.size() > 5 ? " ..." : "") + " (the file has "
                    + present + (present.size() == 5 ? " ..." : "") + "); is it a truncated or foreign checkpoint?");
        }
        return model;
    }

    /** A model with fresh random weights everywhere (tests, tiny models). */
    public static TokenClassifier initialise(BertConfig config, long seed) {
        Parameters parameters = Parameters.create();
        List<ParameterSpec> specs = specs(config);
        parameters.initialise(specs, config.initializerRange(), new Random(seed));
        List<String> names = specs.stream().map(ParameterSpec::name).toList();
        return new TokenClassifier(config, parameters, new LoadReport("(random)", names, List.of()));
    }

    private static TokenClassifier load(Path dir, BertConfig config, long seed) {
        Parameters parameters = Parameters.create();
        try (WeightReader weights = ModelDirectory.openWeights(dir)) {
            LoadReport report = parameters.load(weights, specs(config), Encoder.prefix(config),
                    config.initializerRange(), new Random(seed));
            return new TokenClassifier(config, parameters, report);
        } catch (RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /** The body's parameters (no pooler) and the head's. */
    public static List<ParameterSpec> specs(BertConfig config) {
        if (config.numLabels() <= 0) throw new IllegalArgumentException("a token classifier needs labels in its config");
        List<ParameterSpec> specs = new ArrayList<>(Encoder.specs(config, false));
        specs.add(ParameterSpec.normal(WEIGHT, config.numLabels(), config.hiddenSize()));
        specs.add(ParameterSpec.zeros(BIAS, config.numLabels()));
        return specs;
    }

    /** The transformers class of a token classifier on this body, as {@code architectures} names it. */
    private static String architecture(BertConfig body) {
        return switch (body.modelType()) {
            case "xlm-roberta" -> "XLMRobertaForTokenClassification";
            case "roberta" -> "RobertaForTokenClassification";
            case "camembert" -> "CamembertForTokenClassification";
            case "distilbert" -> "DistilBertForTokenClassification";
            default -> "BertForTokenClassification";
        };
    }

    /**
     * Label logits per token: ids and mask (batch, seq) → (batch, seq, labels).
     *
     * @param step     the scope of this call or training step
     * @param training whether dropout is on
     */
    public NDArray logits(NDManager step, NDArray inputIds, NDArray attentionMask, boolean training) {
        return head(encoder.forward(step, inputIds, attentionMask, null, training), training);
    }

    /**
     * Label logits from word vectors given by the caller instead of looked up in the word-embedding table
     * (the trainer's row-sparse update passes the batch's rows as their own leaf): (batch, seq, hidden) in.
     */
    public NDArray logits(NDManager step, NDArray inputIds, NDArray wordVectors, NDArray attentionMask,
            boolean training) {
        return head(encoder.forward(step, inputIds, wordVectors, attentionMask, null, training), training);
    }

    /** Inference on Java arrays, in a scope of its own that frees every array of the pass ({@link LogitsModel}). */
    @Override
    public float[] logits(int rows, int length, long[] ids, long[] mask) {
        try (NDManager call = parameters.manager().newSubManager()) {
            Shape shape = new Shape(rows, length);
            return logits(call, call.create(ids, shape), call.create(mask, shape), false).toFloatArray(); // (rows, length, labels)
        }
    }

    @Override
    public int maxSequenceLength() {
        return encoder.maxSequenceLength();
    }

    @Override
    public String runtime() {
        // fp32 stays plain "libtorch", as services and reports have always named it
        return parameters.precision() == Precision.FP32 ? "libtorch" : "libtorch " + parameters.precision();
    }

    // logits leave in fp32 whatever the precision: the loss and every reader of scores take them so
    private NDArray head(NDArray hidden, boolean training) {
        NDArray x = Functional.dropout(hidden, config.hiddenDropoutProb(), training);
        return Precision.toFloat32(Functional.linear(x, parameters, WEIGHT, BIAS));
    }

    /**
     * Mean cross-entropy over the tokens whose label is not -100, as PyTorch's
     * {@code CrossEntropyLoss(ignore_index=-100)}: logits (batch, seq, labels), labels (batch, seq) → scalar.
     */
    public static NDArray loss(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray flatLabels = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray keep = flatLabels.gte(0);                                      // (tokens)
        NDArray safeLabels = flatLabels.mul(keep.toType(DataType.INT64, false)); // -100 → 0, masked below
        NDArray logProbabilities = logits.reshape(-1, classes).logSoftmax(-1);  // (tokens, labels)
        NDArray picked = logProbabilities.gather(safeLabels.reshape(-1, 1), 1).reshape(-1);
        NDArray weights = keep.toType(DataType.FLOAT32, false);
        return picked.mul(weights).sum().neg().div(weights.sum().maximum(1f));
    }

    /** Writes the model folder in Hugging Face layout, copying tokenizer files from {@code tokenizerFrom}. */
    public void save(Path dir, Path tokenizerFrom) throws IOException {
        ModelDirectory.write(dir, config, parameters, tokenizerFrom);
    }

    @Override
    public BertConfig config() {
        return config;
    }

    @Override
    public LabelSet labels() {
        return new LabelSet(config.id2label());
    }

    public Parameters parameters() {
        return parameters;
    }

    public Encoder encoder() {
        return encoder;
    }

    /** Which weights loading initialised afresh (the head) and which it left unused (pooler, MLM head). */
    public LoadReport loadReport() {
        return loadReport;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
