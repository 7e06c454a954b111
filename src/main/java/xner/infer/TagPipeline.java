package xner.infer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.ExitGate;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.model.LogitsModel;
import xner.onnx.OnnxTokenClassifier;
import xner.model.TokenClassifier;
import xner.tokenize.Encoding;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.tokenize.Batch;
import xner.tokenize.Padded;

/**
 * The token-classification pipeline, as transformers' {@code pipeline("ner")}, in its three stages:
 * preprocess (text or pre-split words → the whole encoding, cut into windows: a {@code Windowed} per input) →
 * forward (every window through the fine-tuned model) → postprocess (each token's logits from the window that
 * owns it, softmax) → {@link Tagged}, which aggregates into entities.
 *
 * <pre>
 *   try (TagPipeline ner = TagPipeline.load(Path.of("runs/de"))) {
 *       List&lt;Prediction&gt; entities = ner.tag("Jeff Dean ist ein Informatiker bei Google in Kalifornien")
 *               .predict(Aggregation.FIRST);   // PER "Jeff Dean" 0–9, ORG "Google" 35–41, LOC "Kalifornien" 45–56
 *   }
 * </pre>
 *
 * <p>Texts longer than the model's window ({@code model_max_length}, 512 tokens for BERT) are cut into
 * overlapping windows that share {@code stride} tokens, and each token keeps the scores of the window where
 * it has the most context ({@link Windows}); entities are built once over the whole text. A batch of texts is
 * run as windows sorted by length, each pass padded to its longest and holding at most {@code batchSize}
 * windows and {@code maxTokens} padded tokens, so that a pass's memory is bounded whatever the input.
 *
 * <p>The model runs on libtorch ({@link TokenClassifier}) or ONNX Runtime ({@link OnnxTokenClassifier}), behind
 * {@link LogitsModel}: everything else here is the same for both ({@link ModelRuntime}).
 *
 * <p>Safe for concurrent calls: each forward pass frees what it made (a scope of its own on libtorch), the
 * tokenizer is thread-safe, and nothing else changes after loading.
 */
public final class TagPipeline implements AutoCloseable {
    /** The overlap of consecutive windows when none is given, transformers' customary value (capped at half a window). */
    public static final int DEFAULT_STRIDE = 128;
    public static final int DEFAULT_BATCH_SIZE = 32;
    /**
     * Padded tokens per forward pass when none is given: eight full 512-token windows, or 32 sentences of up to
     * 128 tokens. A pass holds one layer's intermediates at a time, ~70 MB per 512-token window (README, memory).
     */
    public static final int DEFAULT_MAX_TOKENS = Batch.MAX_TOKENS_PER_PASS;

    /**
     * How the pipeline cuts and batches its input.
     *
     * @param maxLength tokens per window, special tokens included; 0 for the model's own (the tokenizer's
     *                  {@code model_max_length}, at most the model's positions)
     * @param stride    tokens shared by consecutive windows; -1 for {@value #DEFAULT_STRIDE}, capped at half a window
     * @param batchSize windows per forward pass, at most
     * @param maxTokens padded tokens (windows × the longest of them) per forward pass, at most; a window longer
     *                  than this still goes, alone. This, not {@code batchSize}, bounds a pass's memory.
     */
    public record Options(int maxLength, int stride, int batchSize, int maxTokens) {
        public static final Options DEFAULTS = new Options(0, -1, DEFAULT_BATCH_SIZE, DEFAULT_MAX_TOKENS);

        public Options(int maxLength, int stride, int batchSize) {
            this(maxLength, stride, batchSize, DEFAULT_MAX_TOKENS);
        }

        public Options {
            if (maxLength < 0) throw new XnerInputException("max length must be positive (or 0 for the model's), was " + maxLength);
            if (stride < -1) throw new XnerInputException("stride must be >= 0 (or -1 for the default), was " + stride);
            if (batchSize < 1) throw new XnerInputException("batch size must be >= 1, was " + batchSize);
            if (maxTokens < 1) throw new XnerInputException("max tokens per pass must be >= 1, was " + maxTokens);
        }

        public Options withMaxLength(int tokens) {
            return new Options(tokens, stride, batchSize, maxTokens);
        }

        public Options withStride(int tokens) {
            return new Options(maxLength, tokens, batchSize, maxTokens);
        }

        public Options withBatchSize(int windows) {
            return new Options(maxLength, stride, windows, maxTokens);
        }

        public Options withMaxTokens(int tokens) {
            return new Options(maxLength, stride, batchSize, tokens);
        }
    }

    private final Path modelDir;
    private final Tokenizer tokenizer; // never truncates: long texts become windows here
    private final LogitsModel classifier;
    private final LabelSet labels;
    private final int maxLength;
    private final int stride;
    private final int batchSize;
    private final int maxTokens;
    private final double temperature; // the model's calibration: scores only, never the tags

    private TagPipeline(Path modelDir, Tokenizer tokenizer, LogitsModel classifier, int maxLength, int stride, int batchSize,
            int maxTokens) {
        this.modelDir = modelDir;
        this.tokenizer = tokenizer;
        this.classifier = classifier;
        this.labels = classifier.labels();
        this.maxLength = maxLength;
        this.stride = stride;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
        this.temperature = classifier.config().temperature();
    }

    /** The pipeline of a fine-tuned model folder (config with {@code id2label}, weights, tokenizer files). */
    public static TagPipeline load(Path dir) {
        return load(dir, Options.DEFAULTS);
    }

    public static TagPipeline load(Path dir, Options options) {
        return load(dir, options, ModelRuntime.LIBTORCH);
    }

    /** The pipeline of a model folder on {@code runtime}: its weights, or the ONNX file that runtime reads. */
    public static TagPipeline load(Path dir, Options options, ModelRuntime runtime) {
        LogitsModel classifier = runtime.load(dir);
        try {
            return create(dir, classifier, options);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /**
     * A pipeline over a classifier already loaded, with the tokenizer of {@code tokenizerDir}; the pipeline
     * owns the classifier from now on and closes it.
     */
    public static TagPipeline create(Path tokenizerDir, LogitsModel classifier, Options options) {
        int configured = Tokenizers.modelMaxLength(tokenizerDir);
        Tokenizer tokenizer = Tokenizers.load(tokenizerDir, Integer.MAX_VALUE);
        try {
            int positions = classifier.maxSequenceLength();
            int maxLength = options.maxLength() > 0 ? options.maxLength() : Math.min(configured, positions);
            if (maxLength > positions) {
                throw new XnerInputException("max length " + maxLength + " is more than the model's " + positions + " positions");
            }
            int specials = tokenizer.encode("").size(); // [CLS] [SEP]: what every window repeats
            int room = maxLength - specials;
            if (room < 1) {
                throw new XnerInputException("max length " + maxLength + " leaves no room for text beside the " + specials
                        + " special tokens");
            }
            int stride = options.stride() < 0 ? Math.min(DEFAULT_STRIDE, room / 2) : options.stride();
            if (stride >= room) {
                throw new XnerInputException("stride " + stride + " must be smaller than the " + room
                        + " tokens of text a " + maxLength + "-token window holds");
            }
            return new TagPipeline(tokenizerDir, tokenizer, classifier, maxLength, stride, options.batchSize(), options.maxTokens());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** Tags one text. */
    public Tagged tag(String text) {
        return tagBatch(List.of(text)).get(0);
    }

    /** Tags texts together (their windows batched by length); the answers are in the order of {@code texts}. */
    public List<Tagged> tagBatch(List<String> texts) {
        List<Windowed> inputs = new ArrayList<>(texts.size());
        for (String text : texts) inputs.add(preprocess(text));
        return run(inputs, batchSize);
    }

    /**
     * Tags texts together, as {@link #tagBatch}, and when that fails finds the texts that fail alone by bisection
     * ({@link Outcome#each}): each text's tagging or its failure, in the order of {@code texts}.
     */
    public List<Outcome<Tagged>> tagEach(List<String> texts) {
        return Outcome.each(texts, this::tagBatch);
    }

    /**
     * The first stage alone: {@code text} tokenized and cut into windows, for a caller that runs the passes itself
     * (the service, which takes turns between requests a pass at a time). Then {@link #forwardPass} for the windows
     * and {@link #postprocess} with their logits.
     */
    public PreparedText prepare(String text) {
        return PreparedText.of(preprocess(text));
    }

    /**
     * Tags words already split (a CoNLL sentence), as transformers' {@code is_split_into_words}: the answer's
     * text is the words joined by single spaces, its offsets index that text, and word ids index {@code words}.
     */
    public Tagged tagWords(List<String> words) {
        return tagWordsBatch(List.of(words)).get(0);
    }

    /** Tags several sentences of pre-split words together. */
    public List<Tagged> tagWordsBatch(List<List<String>> sentences) {
        return tagWordsBatch(sentences, batchSize);
    }

    /** Sentences of pre-split words as {@link #tagEach} tags texts: each one's tagging or its failure, in order. */
    public List<Outcome<Tagged>> tagWordsEach(List<List<String>> sentences) {
        return Outcome.each(sentences, this::tagWordsBatch);
    }

    /** As {@link #tagWordsBatch(List)} with another number of windows per forward pass: for the benchmark. */
    List<Tagged> tagWordsBatch(List<List<String>> sentences, int windowsPerPass) {
        List<Windowed> inputs = new ArrayList<>(sentences.size());
        for (List<String> words : sentences) inputs.add(preprocessWords(words));
        return run(inputs, windowsPerPass);
    }

    /** The model's labels, in id order. */
    public LabelSet labels() {
        return labels;
    }

    /** Tokens per window, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** Tokens shared by consecutive windows. */
    public int stride() {
        return stride;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Padded tokens per forward pass, at most. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Which runtime and file run the model: {@code libtorch}, {@code onnx model.onnx}. */
    public String runtime() {
        return classifier.runtime();
    }

    public Path modelDir() {
        return modelDir;
    }

    /** The model, for benchmarks and leak checks; the pipeline owns it. */
    LogitsModel classifier() {
        return classifier;
    }

    @Override
    public void close() {
        tokenizer.close();
        classifier.close();
    }

    /** The three stages, as transformers' {@code run_single}: forward every input's windows, then postprocess each input. */
    private List<Tagged> run(List<Windowed> inputs, int windowsPerPass) {
        float[][][] logits = forward(inputs, windowsPerPass);
        List<Tagged> tagged = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) tagged.add(postprocess(inputs.get(i), logits[i]));
        return tagged;
    }

    /** Preprocess: the whole text tokenized (never truncated), then cut into windows. */
    private Windowed preprocess(String text) {
        return Windowed.cut(text, tokenizer.encode(text), maxLength, stride);
    }

    /**
     * Preprocess pre-split words: joined by single spaces, tokenized as words, each token's offsets moved from
     * "into its word" to "into the joined text", then cut into windows.
     */
    private Windowed preprocessWords(List<String> words) {
        int[] wordStarts = new int[words.size()];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) text.append(' ');
            wordStarts[i] = text.length();
            text.append(words.get(i));
        }
        return Windowed.cut(text.toString(), shift(tokenizer.encodeWords(words), wordStarts), maxLength, stride);
    }

    /** Offsets of pre-split words' tokens moved from "into their word" to "into the joined text". */
    private static Encoding shift(Encoding e, int[] wordStarts) {
        List<Integer> starts = new ArrayList<>(e.size());
        List<Integer> ends = new ArrayList<>(e.size());
        for (int i = 0; i < e.size(); i++) {
            int w = e.wordIds().get(i);
            int by = w == Encoding.NO_WORD || e.isSpecial(i) ? 0 : wordStarts[w];
            starts.add(e.charStarts().get(i) + by);
            ends.add(e.charEnds().get(i) + by);
        }
        return new Encoding(e.tokens(), e.ids(), e.wordIds(), starts, ends, e.specialTokensMask(), e.attentionMask(),
                e.truncated());
    }

    /** One window of one input: the input's index, the window's index in it, and its ids with the special tokens. */
    private record Piece(int input, int window, int[] ids) {}

    /**
     * Forward: every window of every input through the model, in passes of windows of similar length
     * ({@link Batch#passes}); the logits of input {@code i}'s window {@code w} at {@code [i][w]}, flattened
     * (position, label).
     */
    private float[][][] forward(List<Windowed> inputs, int windowsPerPass) {
        List<Piece> pieces = new ArrayList<>();
        float[][][] logits = new float[inputs.size()][][];
        for (int i = 0; i < inputs.size(); i++) {
            Windowed input = inputs.get(i);
            logits[i] = new float[input.count()][];
            for (int w = 0; w < input.count(); w++) pieces.add(new Piece(i, w, input.ids(w)));
        }
        int[] lengths = pieces.stream().mapToInt(p -> p.ids().length).toArray();
        List<int[]> passes = Batch.passes(lengths, windowsPerPass, maxTokens);
        // Ctrl-C or SIGTERM: the exit waits for this thread to be between two passes, not inside the model (ExitGate)
        try (ExitGate.Scope gate = ExitGate.PROCESS.enter()) {
            for (int k = 0; k < passes.size(); k++) {
                int done = k;
                ExitGate.PROCESS.between(() -> "while tagging, after forward pass " + done + " of " + passes.size());
                int[] pass = passes.get(k);
                List<int[]> windows = new ArrayList<>(pass.length);
                for (int p : pass) windows.add(pieces.get(p).ids());
                float[][] out = forwardPass(windows);
                for (int b = 0; b < pass.length; b++) logits[pieces.get(pass[b]).input()][pieces.get(pass[b]).window()] = out[b];
            }
        }
        return logits;
    }

    /**
     * Logits of one pass of windows (token ids with their special tokens, as {@link PreparedText#window}), each
     * flattened (position, label), padding dropped: the only place the model runs. Keep a pass within
     * {@link #batchSize()} windows and {@link #maxTokens()} padded tokens: that bounds its memory.
     */
    public float[][] forwardPass(List<int[]> windows) {
        Padded batch = Padded.of(windows, tokenizer.padId());
        float[] all = classifier.logits(batch.rows(), batch.length(), batch.ids(), batch.mask()); // (rows, length, labels)
        int labelCount = labels.size();
        float[][] out = new float[batch.rows()][];
        for (int r = 0; r < batch.rows(); r++) {
            int from = r * batch.length() * labelCount;
            out[r] = Arrays.copyOfRange(all, from, from + windows.get(r).length * labelCount);
        }
        return out;
    }

    /** The last stage for a text of {@link #prepare}: {@code windowLogits[w]} are window {@code w}'s from {@link #forwardPass}. */
    public Tagged postprocess(PreparedText text, float[][] windowLogits) {
        if (windowLogits.length != text.windowCount()) {
            throw new IllegalArgumentException(windowLogits.length + " windows of logits for a text of " + text.windowCount());
        }
        return postprocess(text.windowed(), windowLogits);
    }

    /**
     * Postprocess: every token of the input with the logits of the window that speaks for it
     * ({@link Windowed#window}), which {@link TaggedToken} turns into probabilities.
     */
    private Tagged postprocess(Windowed input, float[][] windowLogits) {
        Encoding e = input.encoding();
        int labelCount = labels.size();
        List<TaggedToken> tokens = new ArrayList<>(e.size());
        for (int k = 0; k < e.size(); k++) {
            int position = input.position(k);
            float[] row = Arrays.copyOfRange(windowLogits[input.window(k)], position * labelCount, (position + 1) * labelCount);
            tokens.add(TaggedToken.fromLogits(k, e.tokens().get(k), e.wordIds().get(k), e.charStarts().get(k),
                    e.charEnds().get(k), e.isSpecial(k), row, temperature));
        }
        return new Tagged(input.text(), tokens, labels);
    }
}
