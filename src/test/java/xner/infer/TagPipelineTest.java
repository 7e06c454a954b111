package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.model.BertConfig;
import xner.model.TokenClassifier;

/** The pipeline end to end on tiny real model folders: the keyword model (tags chosen) and a random one. */
class TagPipelineTest {
    @TempDir static Path dir;
    static Path keywords;
    static Path random;
    static TagPipeline pipeline;

    @BeforeAll
    static void models() throws Exception {
        keywords = KeywordModel.standard(dir.resolve("keywords"));
        random = dir.resolve("random");
        BertConfig config = BertConfig.defaults("bert").withSizes(
                        xner.tokenize.Tokenizers.load(keywords).vocabSize(), 16, 2, 2, 32)
                .withEmbeddingTables(64, 2).withLabels(xner.data.LabelSet.PANX.names());
        try (TokenClassifier m = TokenClassifier.initialise(config, 3)) {
            m.save(random, keywords);
        }
        pipeline = TagPipeline.load(keywords);
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    static List<String> describe(List<Prediction> predictions) {
        return predictions.stream().map(p -> p.label() + " " + p.word() + " " + p.start() + "-" + p.end()).toList();
    }

    @Test
    void theChaptersEnglishSentenceGivesItsThreeEntitiesAtTheirOffsets() {
        List<Prediction> out = pipeline.tag("My name is Sylvain and I work at Hugging Face in Brooklyn").predict(Aggregation.FIRST);
        assertEquals(List.of("PER Sylvain 11-18", "ORG Hugging Face 33-45", "LOC Brooklyn 49-57"), describe(out));
        for (Prediction p : out) assertTrue(p.score() > 0.95, p.toString());
    }

    @Test
    void theGermanSentenceToo() {
        List<Prediction> out = pipeline.tag("Jeff Dean ist ein Informatiker bei Google in Kalifornien").predict(Aggregation.SIMPLE);
        assertEquals(List.of("PER Jeff Dean 0-9", "ORG Google 35-41", "LOC Kalifornien 45-56"), describe(out));
    }

    @Test
    void offsetsAreJavaIndicesWithEmojiAccentsCrlfTabsAndRunsOfSpaces() {
        String text = "😀 Müller  in\r\nZürich,\tGenève!";
        Tagged t = pipeline.tag(text);
        List<Prediction> out = t.predict(Aggregation.FIRST);
        assertEquals(List.of("PER Müller 3-9", "LOC Zürich 15-21", "LOC Genève 23-29"), describe(out));
        for (Prediction p : out) assertEquals(text.substring(p.start(), p.end()), p.word());
        for (Prediction p : t.predict(Aggregation.NONE, java.util.Set.of())) {
            assertEquals(text.substring(p.start(), p.end()), p.word(), "every token is a slice of the text");
        }
    }

    @Test
    void subWordsComeFromTheEncodingsWordIds() {
        Tagged t = pipeline.tag("Microsoft in Zürich");
        assertEquals(List.of("[CLS]", "Micro", "##soft", "in", "Zürich", "[SEP]"), t.tokenStrings());
        assertEquals(List.of("ORG Microsoft 0-9", "LOC Zürich 13-19"), describe(t.predict(Aggregation.FIRST)));
        assertEquals(List.of("ORG Micro 0-5", "PER soft 5-9", "LOC Zürich 13-19"), describe(t.predict(Aggregation.SIMPLE)));
        List<Prediction> tokens = t.predict(Aggregation.NONE);
        assertEquals(List.of(1, 2, 4), tokens.stream().map(p -> ((TokenPrediction) p).index()).toList());
        assertEquals(List.of("B-ORG", "B-PER", "B-LOC"), tokens.stream().map(Prediction::label).toList());
    }

    @Test
    void preSplitWordsAreJoinedBySpacesAndKeepTheirWordIndices() {
        Tagged t = pipeline.tagWords(List.of("Jeff", "Dean", "ist", "in", "Zürich", "!"));
        assertEquals("Jeff Dean ist in Zürich !", t.text());
        assertEquals(List.of("PER Jeff Dean 0-9", "LOC Zürich 17-23"), describe(t.predict(Aggregation.FIRST)));
        List<TaggedWord> words = t.words(Aggregation.FIRST);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), words.stream().map(TaggedWord::wordIndex).toList());
        assertEquals(List.of("B-PER", "I-PER", "O", "O", "B-LOC", "O"), words.stream().map(TaggedWord::tag).toList());
    }

    @Test
    void anEmptyTextHasNoEntities() {
        Tagged t = pipeline.tag("");
        assertEquals(List.of("[CLS]", "[SEP]"), t.tokenStrings());
        assertEquals(List.of(), t.predict(Aggregation.FIRST));
    }

    static String longText(int sentences) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            b.append(i % 2 == 0 ? "My name is Sylvain and I work at Hugging Face in Brooklyn. "
                    : "Jeff Dean ist ein Informatiker bei Google in Kalifornien, Microsoft in Zürich! ");
        }
        return b.toString();
    }

    @Test
    void windowsOfALongTextLoseAndDoubleNoEntityAtTheSeams() {
        String text = longText(9);
        try (TagPipeline small = TagPipeline.load(keywords, TagPipeline.Options.DEFAULTS.withMaxLength(16).withStride(4))) {
            Tagged whole = pipeline.tag(text);
            Tagged windowed = small.tag(text);
            assertTrue(whole.tokens().size() > 100, "the text spans many 16-token windows: " + whole.tokens().size());
            assertEquals(whole.tokenStrings(), windowed.tokenStrings());
            // the keyword model's logits depend on the token alone, so windows must give what one pass gives
            for (Aggregation a : Aggregation.values()) {
                List<Prediction> expected = whole.predict(a);
                List<Prediction> actual = windowed.predict(a);
                assertEquals(describe(expected), describe(actual), a.toString());
                for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-5);
            }
            // 5 English sentences × 3 entities + 4 German × (3 + Microsoft + Zürich)
            assertEquals(5 * 3 + 4 * 5, windowed.predict(Aggregation.FIRST).size());
        }
    }

    @Test
    void aTextLongerThanTheModels512TokensIsWindowedNotTruncated() {
        String text = longText(150);
        assertEquals(512, pipeline.maxLength());
        assertEquals(128, pipeline.stride());
        Tagged t = pipeline.tag(text);
        assertTrue(t.tokens().size() > 3 * 512, "tokens: " + t.tokens().size());
        assertEquals("[SEP]", t.tokens().get(t.tokens().size() - 1).token());
        List<Prediction> entities = t.predict(Aggregation.FIRST);
        assertEquals(75 * 3 + 75 * 5, entities.size());
        assertEquals(text.lastIndexOf("Zürich"), entities.get(entities.size() - 1).start(), "the last entity is found");
    }

    @Test
    void eachWindowSizeAndStrideGivesTheSameEntities() {
        String text = longText(3);
        List<String> expected = describe(pipeline.tag(text).predict(Aggregation.FIRST));
        for (int max : new int[] {3, 4, 7, 16}) {
            for (int stride : new int[] {0, 1, max - 3}) {
                if (stride >= max - 2) continue;
                try (TagPipeline small = TagPipeline.load(keywords, TagPipeline.Options.DEFAULTS.withMaxLength(max).withStride(stride))) {
                    assertEquals(expected, describe(small.tag(text).predict(Aggregation.FIRST)), max + "/" + stride);
                }
            }
        }
    }

    @Test
    void aRandomModelSeesItsContextYetWindowsStillCoverEveryTokenOnce() {
        String text = longText(4);
        try (TagPipeline whole = TagPipeline.load(random);
                TagPipeline small = TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withMaxLength(16))) {
            assertEquals(7, small.stride(), "the default stride is capped at half a window");
            Tagged a = whole.tag(text);
            Tagged b = small.tag(text);
            assertEquals(a.tokenStrings(), b.tokenStrings());
            List<Prediction> entities = b.predict(Aggregation.SIMPLE);
            for (int i = 1; i < entities.size(); i++) {
                assertTrue(entities.get(i - 1).end() <= entities.get(i).start(), "entities in order, never overlapping");
            }
            assertNotEquals(a.tokens().get(40).probability(0), b.tokens().get(40).probability(0),
                    "a random model's scores depend on the window it sees");
        }
    }

    @Test
    void aTokenBudgetIsValidated() {
        assertThrows(XnerInputException.class, () -> TagPipeline.Options.DEFAULTS.withMaxTokens(0));
    }

    @Test
    void aTokenBudgetOfOneWindowGivesTheSameAnswers() {
        List<String> texts = List.of("Jeff Dean ist in Zürich", longText(3), "Microsoft", longText(1));
        try (TagPipeline batched = TagPipeline.load(random);
             TagPipeline oneAtATime = TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withMaxTokens(1))) {
            List<Tagged> a = batched.tagBatch(texts);
            List<Tagged> b = oneAtATime.tagBatch(texts);
            for (int i = 0; i < texts.size(); i++) assertEquals(a.get(i).tokenTags(), b.get(i).tokenTags(), texts.get(i));
        }
    }

    @Test
    void aBatchGivesWhatEachTextGivesAlone() {
        List<String> texts = List.of("Jeff Dean ist in Zürich", "", "My name is Sylvain", longText(2), "Microsoft");
        try (TagPipeline model = TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withBatchSize(2))) {
            List<Tagged> batch = model.tagBatch(texts);
            for (int i = 0; i < texts.size(); i++) {
                Tagged alone = model.tag(texts.get(i));
                assertEquals(alone.tokenTags(), batch.get(i).tokenTags(), texts.get(i));
                for (int k = 0; k < alone.tokens().size(); k++) {
                    for (int l = 0; l < 7; l++) {
                        assertEquals(alone.tokens().get(k).probability(l), batch.get(i).tokens().get(k).probability(l), 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialAnswersAndLeaveNoArrayBehind() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 24; i++) texts.add(longText(i % 3 + 1).substring(i));
        try (TagPipeline model = TagPipeline.load(random)) {
            List<List<String>> expected = new ArrayList<>();
            for (String t : texts) expected.add(describe(model.tag(t).predict(Aggregation.NONE)));
            int arrays = ((TokenClassifier) model.classifier()).parameters().manager().getManagedArrays().size();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<String>>> answers = new ArrayList<>();
                for (String t : texts) answers.add(pool.submit(() -> describe(model.tag(t).predict(Aggregation.NONE))));
                for (int i = 0; i < texts.size(); i++) assertEquals(expected.get(i), answers.get(i).get(), texts.get(i));
            } finally {
                pool.shutdown();
            }
            assertEquals(arrays, ((TokenClassifier) model.classifier()).parameters().manager().getManagedArrays().size());
        }
    }

    @Test
    void windowSettingsTheModelCannotTakeAreRefused() {
        XnerInputException tooLong = assertThrows(XnerInputException.class,
                () -> TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withMaxLength(65)));
        assertEquals("max length 65 is more than the model's 64 positions", tooLong.getMessage());
        XnerInputException stride = assertThrows(XnerInputException.class,
                () -> TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withMaxLength(10).withStride(8)));
        assertEquals("stride 8 must be smaller than the 8 tokens of text a 10-token window holds", stride.getMessage());
        assertThrows(XnerInputException.class, () -> TagPipeline.load(random, TagPipeline.Options.DEFAULTS.withMaxLength(2)));
    }
}
