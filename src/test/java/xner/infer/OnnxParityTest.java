package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.LocalPanx;
import xner.data.Sentence;
import xner.data.SwissCorpus;
import xner.model.LogitsModel;
import xner.onnx.OnnxExport;
import xner.onnx.OnnxTokenClassifier;
import xner.model.TokenClassifier;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.tokenize.Batch;
import xner.tokenize.Padded;

/**
 * The exported model against libtorch on real PAN-X sentences (the Swiss corpus's German test subset): logits
 * within 1e-4 batch by batch, and the same entities from the whole pipeline on either runtime.
 */
class OnnxParityTest {
    @TempDir Path dir;

    static Dataset swissGermanTest() {
        return SwissCorpus.sample(new LocalPanx(TestData.panx()), 0, List.of("de")).get("de").get("test");
    }

    @Test
    void aWordLevelModelGivesTheSameLogitsAndEntitiesOnSwissGermanTestSentences() throws IOException {
        Dataset test = swissGermanTest();
        assertSameOnWordLevelModel(test, test.sentences().subList(0, 600));
    }

    @Test
    @Tag("slow")
    void aWordLevelModelGivesTheSameLogitsAndEntitiesOnEverySwissGermanTestSentence() throws IOException {
        Dataset test = swissGermanTest();
        assertSameOnWordLevelModel(test, test.sentences());
    }

    private void assertSameOnWordLevelModel(Dataset test, List<Sentence> sentences) throws IOException {
        Path folder = dir.resolve("model");
        int vocab = TinyModels.wordTokenizer(folder, test);
        // weights N(0, 0.5): logits of O(1), so that 1e-4 is a tight bound and the entities are many
        var config = TinyModels.wordLevelBert(vocab).toBuilder().initializerRange(0.5).build().withLabels(LabelSet.PANX.names());
        try (TokenClassifier model = TokenClassifier.initialise(config, 17)) {
            model.save(folder, folder);
        }
        OnnxExport.export(folder, folder, null);
        assertSameLogitsAndEntities(folder, sentences);
    }

    @Test
    @Tag("slow")
    void multilingualBertWithAFreshHeadGivesTheSameLogitsAndEntities() throws IOException {
        List<Sentence> sentences = swissGermanTest().sentences().subList(0, 200); // without the data, skip before the export
        Path folder = TestData.exportedFreshMbert(dir);
        assertSameLogitsAndEntities(folder, sentences);
    }

    private static void assertSameLogitsAndEntities(Path folder, List<Sentence> sentences) {
        float largest = 0;
        float worst = 0;
        try (Tokenizer tokenizer = Tokenizers.load(folder);
                LogitsModel torch = ModelRuntime.LIBTORCH.load(folder);
                LogitsModel onnx = ModelRuntime.ONNX.load(folder)) {
            assertEquals("onnx " + OnnxTokenClassifier.FP32_FILE, onnx.runtime());
            List<int[]> ids = new ArrayList<>();
            for (Sentence s : sentences) ids.add(tokenizer.encodeWords(s.words()).ids().stream().mapToInt(Integer::intValue).toArray());
            int[] lengths = ids.stream().mapToInt(a -> a.length).toArray();
            for (int[] pass : Batch.passes(lengths, 32, Integer.MAX_VALUE)) {
                List<int[]> rows = new ArrayList<>();
                for (int p : pass) rows.add(ids.get(p));
                Padded batch = Padded.of(rows, tokenizer.padId());
                float[] a = torch.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
                float[] b = onnx.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
                assertEquals(a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i]));
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
            }
        }
        System.out.printf("ONNX vs libtorch on %d sentences: largest |logit| %.3f, largest difference %.2e%n", sentences.size(),
                largest, worst);
        assertTrue(largest > 0.3, "logits too small to compare: " + largest);
        assertTrue(worst < 1e-4, "ONNX and libtorch logits differ by " + worst);

        List<List<String>> words = sentences.stream().map(Sentence::words).toList();
        List<String> fromTorch;
        List<String> fromOnnx;
        try (TagPipeline p = TagPipeline.load(folder, TagPipeline.Options.DEFAULTS, ModelRuntime.LIBTORCH)) {
            fromTorch = entities(p.tagWordsBatch(words));
        }
        try (TagPipeline p = TagPipeline.load(folder, TagPipeline.Options.DEFAULTS, ModelRuntime.ONNX)) {
            fromOnnx = entities(p.tagWordsBatch(words));
        }
        assertTrue(fromTorch.size() > sentences.size() / 10, "too few entities to compare: " + fromTorch.size());
        assertEquals(fromTorch, fromOnnx);
    }

    /** Every entity of every sentence as "sentence label start-end". */
    private static List<String> entities(List<Tagged> tagged) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tagged.size(); i++) {
            for (Prediction p : tagged.get(i).predict(Aggregation.FIRST)) out.add(i + " " + p.label() + " " + p.start() + "-" + p.end());
        }
        return out;
    }
}
