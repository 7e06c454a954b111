package xner.infer;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.data.LabelSet;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.tokenize.WordPieceTokenizer;

/**
 * A tiny BERT token classifier whose tags the test chooses: each vocabulary piece listed in {@code tags} is
 * tagged so (probability ≈ 0.99), every other piece {@code O}. It is a real model folder (config, safetensors,
 * tokenizer) run through the real encoder, built so that a token's logits depend on that token alone:
 * one-hot word embeddings, zero position and type embeddings, and zero output projections in attention and
 * feed-forward, so each layer only re-normalises its input. Windows of a long text therefore give exactly
 * the logits of one long pass, and a test can name the entities it expects.
 */
public final class KeywordModel {
    private static final float STRENGTH = 10f; // logit of a piece's chosen tag
    private static final float O_BIAS = 5f;    // logit of O for every piece: wins where no tag is chosen

    private KeywordModel() {}

    /** Writes the model folder {@code dir} with a WordPiece vocabulary of {@code pieces} ({@code ##} marks a continuation). */
    public static Path write(Path dir, List<String> pieces, Map<String, String> tags) {
        try {
            Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
            vocab.addAll(pieces);
            vocab.addAll(tags.keySet());
            List<String> ordered = new ArrayList<>(vocab);
            Files.createDirectories(dir);
            Files.write(dir.resolve("vocab.txt"), ordered);
            try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
                tokenizer.save(dir);
            }
            int v = ordered.size();
            int h = Math.max(16, (v + 2) / 2 * 2); // one-hot embeddings need hidden >= vocabulary; even for 2 heads
            LabelSet labels = LabelSet.PANX;
            BertConfig config = BertConfig.defaults("bert").withSizes(v, h, 1, 2, 4).withEmbeddingTables(512, 2)
                    .withLabels(labels.names());
            try (TokenClassifier model = TokenClassifier.initialise(config, 1)) {
                set(model, "bert.embeddings.word_embeddings.weight", oneHot(v, h));
                set(model, "bert.embeddings.position_embeddings.weight", new float[512 * h]);
                set(model, "bert.embeddings.token_type_embeddings.weight", new float[2 * h]);
                for (String p : List.of("attention.output.dense", "output.dense")) {
                    String prefix = "bert.encoder.layer.0." + p;
                    set(model, prefix + ".weight", new float[(int) model.parameters().get(prefix + ".weight").size()]);
                    set(model, prefix + ".bias", new float[h]);
                }
                // classifier row of tag L = STRENGTH/h · Σ of the normalised one-hot vectors of L's pieces: a piece's
                // own vector dotted with itself is h, with another piece's about -1
                float[] weight = new float[labels.size() * h];
                for (Map.Entry<String, String> e : tags.entrySet()) {
                    int label = labels.indexOf(e.getValue());
                    if (label < 0) throw new IllegalArgumentException("unknown tag " + e.getValue());
                    float[] normalised = normalisedOneHot(ordered.indexOf(e.getKey()), h);
                    for (int j = 0; j < h; j++) weight[label * h + j] += STRENGTH / h * normalised[j];
                }
                set(model, "classifier.weight", weight);
                float[] bias = new float[labels.size()];
                bias[labels.indexOf("O")] = O_BIAS;
                set(model, "classifier.bias", bias);
                model.save(dir, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A few sentences' pieces and their tags, with sub-words, accents and an emoji: the tests' usual model. */
    public static Path standard(Path dir) {
        List<String> pieces = List.of("My", "name", "is", "and", "I", "work", "at", "in", ".", ",", "!",
                "Jeff", "Dean", "ist", "ein", "Informatiker", "bei", "Google", "Kalifornien",
                "Sylvain", "Hugging", "Face", "Brooklyn", "Zürich", "Genève", "Müller", "😀",
                "Micro", "##soft");
        Map<String, String> tags = Map.ofEntries(
                Map.entry("Jeff", "B-PER"), Map.entry("Dean", "I-PER"), Map.entry("Sylvain", "B-PER"),
                Map.entry("Müller", "B-PER"),
                Map.entry("Google", "B-ORG"), Map.entry("Hugging", "B-ORG"), Map.entry("Face", "I-ORG"),
                Map.entry("Micro", "B-ORG"), Map.entry("##soft", "B-PER"),
                Map.entry("Kalifornien", "B-LOC"), Map.entry("Brooklyn", "B-LOC"), Map.entry("Zürich", "B-LOC"),
                Map.entry("Genève", "B-LOC"));
        return write(dir, pieces, tags);
    }

    private static void set(TokenClassifier model, String name, float[] values) {
        NDArray a = model.parameters().get(name);
        if (a.size() != values.length) throw new IllegalArgumentException(name + ": " + a.getShape() + " vs " + values.length);
        a.set(values);
    }

    private static float[] oneHot(int v, int h) {
        float[] w = new float[v * h];
        for (int t = 0; t < v; t++) w[t * h + t] = 1f;
        return w;
    }

    // LayerNorm of a one-hot vector (gamma 1, beta 0): what the embeddings' LayerNorm makes of it
    private static float[] normalisedOneHot(int t, int h) {
        double mean = 1.0 / h;
        double sd = Math.sqrt(mean * (1 - mean));
        float[] x = new float[h];
        for (int j = 0; j < h; j++) x[j] = (float) (((j == t ? 1 : 0) - mean) / sd);
        return x;
    }
}
