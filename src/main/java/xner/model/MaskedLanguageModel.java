package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import xner.model.weights.WeightReader;

/**
 * A pretrained encoder with its masked-language-model head ({@code BertForMaskedLM},
 * {@code XLMRobertaForMaskedLM}), owning its parameters.
 *
 * <pre>
 *   try (MaskedLanguageModel model = MaskedLanguageModel.load(MultilingualBert.modelDir());
 *        NDManager call = model.parameters().manager().newSubManager()) {
 *       NDArray logits = model.logits(call, call.create(new long[][] {ids}), null, false);  // (1, seq, vocab)
 *   }
 * </pre>
 */
public final class MaskedLanguageModel implements AutoCloseable {
    private final BertConfig config;
    private final Parameters parameters;
    private final Encoder encoder;
    private final MaskedLmHead head;
    private final LoadReport loadReport;

    private MaskedLanguageModel(BertConfig config, Parameters parameters, LoadReport loadReport) {
        this.config = config;
        this.parameters = parameters;
        this.encoder = Encoder.of(config, parameters);
        this.head = new MaskedLmHead(encoder, parameters);
        this.loadReport = loadReport;
    }

    /** Loads a model folder in Hugging Face layout; the pooler is kept when the weights have one. */
    public static MaskedLanguageModel load(Path dir) {
        BertConfig config = ModelDirectory.readConfig(dir);
        Parameters parameters = Parameters.create();
        try (WeightReader weights = ModelDirectory.openWeights(dir)) {
            String prefix = Encoder.prefix(config);
            boolean pooler = weights.contains(prefix + ".pooler.dense.weight") || weights.contains("pooler.dense.weight");
            LoadReport report = parameters.load(weights, specs(config, pooler), prefix, config.initializerRange(),
                    new Random(0));
            return new MaskedLanguageModel(config, parameters, report);
        } catch (RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /** A model with fresh random weights, initialised as transformers does, from {@code seed}. */
    public static MaskedLanguageModel initialise(BertConfig config, boolean withPooler, long seed) {
        Parameters parameters = Parameters.create();
        List<ParameterSpec> specs = specs(config, withPooler);
        parameters.initialise(specs, config.initializerRange(), new Random(seed));
        List<String> names = specs.stream().map(ParameterSpec::name).toList();
        return new MaskedLanguageModel(config, parameters, new LoadReport("(random)", names, List.of()));
    }

    /** Every parameter of the model: the body's, then the head's. */
    public static List<ParameterSpec> specs(BertConfig config, boolean withPooler) {
        List<ParameterSpec> specs = new ArrayList<>(Encoder.specs(config, withPooler));
        specs.addAll(MaskedLmHead.specs(config));
        return specs;
    }

    /** Writes the model folder ({@link ModelDirectory#write}), copying tokenizer files from {@code tokenizerFrom}. */
    public void save(Path dir, Path tokenizerFrom) throws IOException {
        ModelDirectory.write(dir, config, parameters, tokenizerFrom);
    }

    /**
     * Vocabulary logits at every position: ids and mask (batch, seq) → (batch, seq, vocab). See
     * {@link Encoder#forward} for the arguments.
     */
    public NDArray logits(NDManager step, NDArray inputIds, NDArray attentionMask, boolean training) {
        return head.forward(encoder.forward(step, inputIds, attentionMask, null, training));
    }

    public BertConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    public Encoder encoder() {
        return encoder;
    }

    public MaskedLmHead head() {
        return head;
    }

    /** What loading found: parameters the checkpoint lacked, tensors it had that were not used. */
    public LoadReport loadReport() {
        return loadReport;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
