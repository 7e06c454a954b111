package xner.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.model.TokenClassifier;
import xner.tokenize.Encoding;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.Batch;

/**
 * The token-classification pipeline, as transformers' {@code pipeline("ner")}: text (or pre-split words) →
 * tokenize → forward through the fine-tuned model → softmax → {@link Tagged}, which aggregates into entities.
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
 * <p>Safe for concurrent calls: each call opens its own scope under the model's memory manager, the tokenizer
 * is thread-safe, and nothing else changes after loading.
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
    private final TokenClassifier classifier;
    private final LabelSet labels;
    private final int maxLength;
    private final int stride;
    private final int batchSize;
    private final int maxTokens;

    private TagPipeline(Path modelDir, Tokenizer tokenizer, TokenClassifier classifier, int maxLength, int stride, int batchSize,
            int maxTokens) {
        this.modelDir = modelDir;
        this.tokenizer = tokenizer;
        this.classifier = classifier;
        this.labels = classifier.labels();
        this.maxLength = maxLength;
        this.stride = stride;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
    }

    /** The pipeline of a fine-tuned model folder (config with {@code id2label}, weights, tokenizer files). */
    public static TagPipeline load(Path dir) {
        return load(dir, Options.DEFAULTS);
    }

    public static TagPipeline load(Path dir, Options options) {
        TokenClassifier classifier = TokenClassifier.load(dir);
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
    public static TagPipeline create(Path tokenizerDir, TokenClassifier classifier, Options options) {
        int positions = classifier.encoder().maxSequenceLength();
        int maxLength;
        try (Tokenizer configured = Tokenizers.load(tokenizerDir)) {
            maxLength = options.maxLength() > 0 ? options.maxLength() : Math.min(configured.maxLength(), positions);
        }
        if (maxLength > positions) {
            throw new XnerInputException("max length " + maxLength + " is more than the model's " + positions + " positions");
        }
        Tokenizer tokenizer = Tokenizers.load(tokenizerDir, Integer.MAX_VALUE);
        try {
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
        List<Input> inputs = new ArrayList<>(texts.size());
        for (String text : texts) inputs.add(new Input(text, tokenizer.encode(text)));
        return run(inputs, batchSize);
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

    /** As {@link #tagWordsBatch(List)} with another number of windows per forward pass: for the benchmark. */
    List<Tagged> tagWordsBatch(List<List<String>> sentences, int windowsPerPass) {
        List<Input> inputs = new ArrayList<>(sentences.size());
        for (List<String> words : sentences) {
            int[] wordStarts = new int[words.size()];
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) text.append(' ');
                wordStarts[i] = text.length();
                text.append(words.get(i));
            }
            inputs.add(new Input(text.toString(), shift(tokenizer.encodeWords(words), wordStarts)));
        }
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

    public Path modelDir() {
        return modelDir;
    }

    /** The model, for benchmarks and leak checks; the pipeline owns it. */
    TokenClassifier classifier() {
        return classifier;
    }

    @Override
    public void close() {
        tokenizer.close();
        classifier.close();
    }

    /** A text and its full (untruncated) encoding, offsets indexing the text. */
    private record Input(String text, Encoding encoding) {}

    /** One window of one input, as ids with the special tokens around it. */
    private record Piece(int input, int window, long[] ids) {}

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

    private List<Tagged> run(List<Input> inputs, int windowsPerPass) {
        // 1. cut each encoding into windows: leading specials + a slice of the text's tokens + trailing specials
        int n = inputs.size();
        Windows[] plans = new Windows[n];
        int[] leading = new int[n];
        int[] trailing = new int[n];
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Encoding e = inputs.get(i).encoding();
            int size = e.size();
            while (leading[i] < size && e.isSpecial(leading[i])) leading[i]++;
            while (trailing[i] < size - leading[i] && e.isSpecial(size - 1 - trailing[i])) trailing[i]++;
            int content = size - leading[i] - trailing[i];
            plans[i] = Windows.plan(content, maxLength - leading[i] - trailing[i], Math.min(stride, maxLength - leading[i] - trailing[i] - 1));
            long[] all = e.idArray();
            for (int w = 0; w < plans[i].count(); w++) {
                int from = leading[i] + plans[i].start(w);
                int to = leading[i] + plans[i].end(w);
                long[] ids = new long[leading[i] + (to - from) + trailing[i]];
                System.arraycopy(all, 0, ids, 0, leading[i]);
                System.arraycopy(all, from, ids, leading[i], to - from);
                System.arraycopy(all, size - trailing[i], ids, leading[i] + (to - from), trailing[i]);
                pieces.add(new Piece(i, w, ids));
            }
        }

        // 2. forward the windows in batches of similar length
        List<Piece> order = new ArrayList<>(pieces);
        order.sort(Comparator.comparingInt(p -> p.ids().length));
        float[][][] logits = new float[n][][];
        for (int i = 0; i < n; i++) logits[i] = new float[plans[i].count()][];
        int[] lengths = order.stream().mapToInt(p -> p.ids().length).toArray();
        int from = 0;
        for (int size : Batch.passSizes(lengths, windowsPerPass, maxTokens)) {
            List<Piece> batch = order.subList(from, from += size);
            float[][] out = forward(batch);
            for (int b = 0; b < batch.size(); b++) logits[batch.get(b).input()][batch.get(b).window()] = out[b];
        }

        // 3. give every token the logits of the window that speaks for it, then softmax
        int labelCount = labels.size();
        List<Tagged> tagged = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Encoding e = inputs.get(i).encoding();
            int size = e.size();
            int last = plans[i].count() - 1;
            List<TaggedToken> tokens = new ArrayList<>(size);
            for (int k = 0; k < size; k++) {
                int window;
                int position;
                if (k < leading[i]) {
                    window = 0;
                    position = k;
                } else if (k >= size - trailing[i]) {
                    window = last;
                    position = leading[i] + plans[i].end(last) - plans[i].start(last) + (k - (size - trailing[i]));
                } else {
                    int c = k - leading[i];
                    window = plans[i].owner(c);
                    position = leading[i] + c - plans[i].start(window);
                }
                float[] row = Arrays.copyOfRange(logits[i][window], position * labelCount, (position + 1) * labelCount);
                tokens.add(TaggedToken.fromLogits(k, e.tokens().get(k), e.wordIds().get(k), e.charStarts().get(k),
                        e.charEnds().get(k), e.isSpecial(k), row));
            }
            tagged.add(new Tagged(inputs.get(i).text(), tokens, labels));
        }
        return tagged;
    }

    /** Logits of a batch of windows, each flattened (position, label), padding dropped. */
    private float[][] forward(List<Piece> batch) {
        int rows = batch.size();
        int length = 0;
        for (Piece p : batch) length = Math.max(length, p.ids().length);
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        Arrays.fill(ids, tokenizer.padId());
        for (int r = 0; r < rows; r++) {
            long[] row = batch.get(r).ids();
            System.arraycopy(row, 0, ids, r * length, row.length);
            Arrays.fill(mask, r * length, r * length + row.length, 1L);
        }
        int labelCount = labels.size();
        float[] all;
        try (NDManager call = classifier.parameters().manager().newSubManager()) {
            Shape shape = new Shape(rows, length);
            NDArray logits = classifier.logits(call, call.create(ids, shape), call.create(mask, shape), false); // (rows, length, labels)
            all = logits.toFloatArray();
        }
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            int from = r * length * labelCount;
            out[r] = Arrays.copyOfRange(all, from, from + batch.get(r).ids().length * labelCount);
        }
        return out;
    }
}
