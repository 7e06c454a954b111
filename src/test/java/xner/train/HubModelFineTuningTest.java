package xner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.data.Source;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

/**
 * A token classifier from the hub, fine-tuned further as {@code train --model ORG/NAME} does: the DistilBERT that
 * PyTorch saved ({@code src/test/resources/xner/model/hub/tiny-distilbert}, CoNLL-2003's labels) keeps its head for
 * its own labels, learns, and is saved as a DistilBERT that loads again.
 */
class HubModelFineTuningTest {
    @TempDir Path dir;

    private static Path distilbert() throws URISyntaxException {
        return Path.of(HubModelFineTuningTest.class.getResource("/xner/model/hub/tiny-distilbert").toURI());
    }

    private Sentence sentence(int line, String words, String tags) {
        return new Sentence(List.of(words.split(" ")), List.of(tags.split(" ")), new Source(dir.resolve("made-up.conll"), line));
    }

    @Test
    void aHubDistilBertKeepsItsHeadLearnsAndIsSavedAsADistilBert() throws Exception {
        TokenClassifier original = TokenClassifier.load(distilbert());
        LabelSet labels = original.labels();
        original.close();
        Files.writeString(dir.resolve("made-up.conll"), "(the run record hashes its data files)\n");
        List<Sentence> sentences = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sentences.add(sentence(4 * i + 1, "Jeff Dean arbeitet für Google in Kalifornien .", "B-PER I-PER O O B-ORG O B-LOC O"));
            sentences.add(sentence(4 * i + 2, "Anna arbeitet bei Siemens in Berlin .", "B-PER O O B-ORG O B-LOC O"));
            sentences.add(sentence(4 * i + 3, "Paris und Berlin", "B-LOC O B-LOC"));
        }
        Dataset data = Dataset.of(sentences, labels);
        TrainingConfig recipe = TrainingConfig.chapter().withEpochs(3).withBatchSize(6).withLearningRate(3e-3);
        List<String> notes = new ArrayList<>();
        Path output = dir.resolve("out");
        FineTuner.Result result;
        try (Tokenizer tokenizer = Tokenizers.load(distilbert())) {
            result = new FineTuning(data, data, labels, distilbert(), recipe, Map.of(), TrainingMemory.UNLIMITED)
                    .run(tokenizer, output, false, "test", new PrintStream(new ByteArrayOutputStream()), notes::add, log -> { });
        }

        assertEquals(List.of("xner: the classifier head of " + distilbert() + " is kept (same labels)"), notes);
        List<EpochLog> epochs = result.epochs();
        assertTrue(epochs.get(2).trainingLoss() < epochs.get(0).trainingLoss(), epochs.toString());
        BertConfig saved = BertConfig.read(output.resolve("config.json"));
        assertEquals("distilbert", saved.modelType());
        assertEquals(List.of("DistilBertForTokenClassification"), saved.architectures());
        assertTrue(Files.readString(output.resolve("config.json")).contains("\"n_layers\": 2"));
        try (TokenClassifier again = TokenClassifier.load(output)) {
            assertEquals(labels, again.labels());
        }
    }
}
