package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.data.LabelSet;

/**
 * transformers' aggregation strategies on hand-made token probabilities. Each token's logits are ln(p), so its
 * softmax is exactly p and every expected score is checkable by hand.
 */
class AggregationTest {
    static final LabelSet LABELS = LabelSet.PANX; // O B-PER I-PER B-ORG I-ORG B-LOC I-LOC
    static final double EPS = 1e-9;

    /** Builds a tagged text token by token: [CLS] first, [SEP] added by {@link #build()}. */
    static final class Text {
        final String text;
        final List<TaggedToken> tokens = new ArrayList<>();
        int searchFrom;

        Text(String text) {
            this.text = text;
            tokens.add(token(0, "[CLS]", -1, 0, 0, true, probs("O", 1.0)));
        }

        /** The next token: {@code piece} found in the text after the previous one; {@code ##} is not part of the search. */
        Text add(String piece, int word, double[] p) {
            String chars = piece.startsWith("##") ? piece.substring(2) : piece;
            int start = text.indexOf(chars, searchFrom);
            if (start < 0) throw new IllegalArgumentException(piece + " not in " + text);
            searchFrom = start + chars.length();
            tokens.add(token(tokens.size(), piece, word, start, searchFrom, false, p));
            return this;
        }

        Tagged build() {
            List<TaggedToken> all = new ArrayList<>(tokens);
            all.add(token(all.size(), "[SEP]", -1, 0, 0, true, probs("O", 1.0)));
            return new Tagged(text, all, LABELS);
        }
    }

    static TaggedToken token(int index, String piece, int word, int start, int end, boolean special, double[] p) {
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) logits[i] = (float) Math.log(p[i]);
        return TaggedToken.fromLogits(index, piece, word, start, end, special, logits);
    }

    /** Probabilities: the labels named get the values given; the rest of the mass is shared by the others. */
    static double[] probs(Object... labelsAndValues) {
        double[] p = new double[LABELS.size()];
        boolean[] set = new boolean[p.length];
        double used = 0;
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            int id = LABELS.indexOf((String) labelsAndValues[i]);
            p[id] = (Double) labelsAndValues[i + 1];
            set[id] = true;
            used += p[id];
        }
        int rest = 0;
        for (boolean s : set) if (!s) rest++;
        double share = rest == 0 ? 0 : Math.max(1e-6, (1 - used) / rest);
        for (int i = 0; i < p.length; i++) if (!set[i]) p[i] = share;
        return p;
    }

    static void assertEntity(Prediction actual, String type, double score, String word, int start, int end) {
        EntityGroup g = (EntityGroup) actual;
        assertEquals(type, g.entityGroup(), actual.toString());
        assertEquals(score, g.score(), 1e-6, actual.toString());
        assertEquals(word, g.word(), actual.toString());
        assertEquals(start, g.start(), actual.toString());
        assertEquals(end, g.end(), actual.toString());
    }

    // "Microsoft" = Micro ##soft, the sub-tokens disagree: Micro says B-ORG 0.6, ##soft says B-PER 0.9
    static Tagged microsoft() {
        return new Text("Microsoft").add("Micro", 0, probs("B-ORG", 0.6, "O", 0.1, "I-ORG", 0.1))
                .add("##soft", 0, probs("B-PER", 0.9)).build();
    }

    @Test
    void noneGivesOneTagPerTokenWithItsIndexAndSlice() {
        List<Prediction> out = microsoft().predict(Aggregation.NONE);
        assertEquals(List.of(new TokenPrediction("B-ORG", 0.6, 1, "Micro", 0, 5), new TokenPrediction("B-PER", 0.9, 2, "soft", 5, 9)),
                out.stream().map(p -> {
                    TokenPrediction t = (TokenPrediction) p;
                    return new TokenPrediction(t.entity(), Math.round(t.score() * 1e6) / 1e6, t.index(), t.word(), t.start(), t.end());
                }).toList());
    }

    @Test
    void simpleSplitsAWordWhoseSubTokensDisagree() {
        List<Prediction> out = microsoft().predict(Aggregation.SIMPLE);
        assertEquals(2, out.size());
        assertEntity(out.get(0), "ORG", 0.6, "Micro", 0, 5);
        assertEntity(out.get(1), "PER", 0.9, "soft", 5, 9);
    }

    @Test
    void firstTakesTheFirstSubTokensLabelForTheWholeWord() {
        List<Prediction> out = microsoft().predict(Aggregation.FIRST);
        assertEquals(1, out.size());
        assertEntity(out.get(0), "ORG", 0.6, "Microsoft", 0, 9);
    }

    @Test
    void maxTakesTheMostConfidentSubToken() {
        List<Prediction> out = microsoft().predict(Aggregation.MAX);
        assertEquals(1, out.size());
        assertEntity(out.get(0), "PER", 0.9, "Microsoft", 0, 9);
    }

    @Test
    void averageTakesTheBestMeanProbability() {
        // B-PER: (0.05 + 0.9) / 2 = 0.475 beats B-ORG: (0.6 + 0.1/6) / 2 = 0.308 (0.05 and 0.1/6: the shared rest)
        List<Prediction> out = microsoft().predict(Aggregation.AVERAGE);
        assertEquals(1, out.size());
        assertEntity(out.get(0), "PER", 0.475, "Microsoft", 0, 9);
    }

    @Test
    void theThreeWordStrategiesCanAllDisagree() {
        // one word of three sub-tokens: ORG 0.8, ORG 0.8, PER 0.85
        Tagged t = new Text("Abcdef").add("Ab", 0, probs("B-ORG", 0.8, "B-PER", 0.1))
                .add("##cd", 0, probs("B-ORG", 0.8, "B-PER", 0.1)).add("##ef", 0, probs("B-PER", 0.85, "B-ORG", 0.1)).build();
        assertEntity(t.predict(Aggregation.FIRST).get(0), "ORG", 0.8, "Abcdef", 0, 6);
        assertEntity(t.predict(Aggregation.MAX).get(0), "PER", 0.85, "Abcdef", 0, 6);
        assertEntity(t.predict(Aggregation.AVERAGE).get(0), "ORG", (0.8 + 0.8 + 0.1) / 3, "Abcdef", 0, 6);
        // the first sub-token alone disagrees with the other two
        Tagged u = new Text("Abcdef").add("Ab", 0, probs("B-PER", 0.5, "B-ORG", 0.4))
                .add("##cd", 0, probs("B-ORG", 0.9)).add("##ef", 0, probs("B-ORG", 0.9)).build();
        assertEquals("PER", u.predict(Aggregation.FIRST).get(0).label());
        assertEquals("ORG", u.predict(Aggregation.AVERAGE).get(0).label());
        assertEquals("ORG", u.predict(Aggregation.MAX).get(0).label());
    }

    @Test
    void consecutiveBeginAndInsideOfOneTypeMakeOneEntityWithTheMeanScore() {
        Tagged t = new Text("Jeff Dean ist in Berlin").add("Jeff", 0, probs("B-PER", 0.9)).add("Dean", 1, probs("I-PER", 0.8))
                .add("ist", 2, probs("O", 0.99)).add("in", 3, probs("O", 0.97)).add("Berlin", 4, probs("B-LOC", 0.7)).build();
        for (Aggregation a : List.of(Aggregation.SIMPLE, Aggregation.FIRST, Aggregation.AVERAGE, Aggregation.MAX)) {
            List<Prediction> out = t.predict(a);
            assertEquals(2, out.size(), a + ": " + out);
            assertEntity(out.get(0), "PER", 0.85, "Jeff Dean", 0, 9);
            assertEntity(out.get(1), "LOC", 0.7, "Berlin", 17, 23);
        }
    }

    @Test
    void twoBeginTagsNeverMerge() {
        Tagged t = new Text("Paris Berlin").add("Paris", 0, probs("B-LOC", 0.9)).add("Berlin", 1, probs("B-LOC", 0.8)).build();
        List<Prediction> out = t.predict(Aggregation.SIMPLE);
        assertEquals(2, out.size());
        assertEntity(out.get(0), "LOC", 0.9, "Paris", 0, 5);
        assertEntity(out.get(1), "LOC", 0.8, "Berlin", 6, 12);
    }

    @Test
    void anInsideTagAfterAnotherTypeOrOStartsAnEntityOfItsOwnType() {
        Tagged t = new Text("a Bern UBS").add("a", 0, probs("O", 0.9)).add("Bern", 1, probs("I-LOC", 0.6))
                .add("UBS", 2, probs("I-ORG", 0.7)).build();
        List<Prediction> out = t.predict(Aggregation.SIMPLE);
        assertEquals(2, out.size());
        assertEntity(out.get(0), "LOC", 0.6, "Bern", 2, 6);
        assertEntity(out.get(1), "ORG", 0.7, "UBS", 7, 10);
    }

    @Test
    void wordLevelStrategiesKeepAWordWholeInsideAMultiWordEntity() {
        // "Hugging Face": Hu ##gging disagree (B-ORG 0.9, I-PER 0.6), Face I-ORG 0.8
        Tagged t = new Text("at Hugging Face").add("at", 0, probs("O", 0.9)).add("Hu", 1, probs("B-ORG", 0.9))
                .add("##gging", 1, probs("I-PER", 0.6)).add("Face", 2, probs("I-ORG", 0.8)).build();
        List<Prediction> first = t.predict(Aggregation.FIRST);
        assertEquals(1, first.size());
        assertEntity(first.get(0), "ORG", (0.9 + 0.8) / 2, "Hugging Face", 3, 15);
        List<Prediction> simple = t.predict(Aggregation.SIMPLE);
        assertEquals(List.of("ORG", "PER", "ORG"), simple.stream().map(Prediction::label).toList());
        assertEquals(List.of("Hu", "gging", "Face"), simple.stream().map(Prediction::word).toList());
    }

    @Test
    void theWordIsTheExactSliceOfTheTextSpacesIncluded() {
        Tagged t = new Text("Jeff   Dean").add("Jeff", 0, probs("B-PER", 0.9)).add("Dean", 1, probs("I-PER", 0.9)).build();
        Prediction p = t.predict(Aggregation.FIRST).get(0);
        assertEquals("Jeff   Dean", p.word());
        assertEquals(11, p.end());
    }

    @Test
    void ignoreLabelsDropsThoseGroupsOnlyAndAnEmptySetKeepsO() {
        Tagged t = new Text("Jeff in Bern").add("Jeff", 0, probs("B-PER", 0.9)).add("in", 1, probs("O", 0.9))
                .add("Bern", 2, probs("B-LOC", 0.9)).build();
        assertEquals(List.of("LOC"), t.predict(Aggregation.FIRST, Set.of("O", "PER")).stream().map(Prediction::label).toList());
        assertEquals(List.of("PER", "O", "LOC"), t.predict(Aggregation.FIRST, Set.of()).stream().map(Prediction::label).toList());
        assertEquals(List.of("B-PER", "O", "B-LOC"), t.predict(Aggregation.NONE, Set.of()).stream().map(Prediction::label).toList());
        assertEquals(List.of("B-PER", "B-LOC"), t.predict(Aggregation.NONE).stream().map(Prediction::label).toList());
    }

    @Test
    void oneTagPerWordForCoNLLIncludesO() {
        List<TaggedWord> words = microsoftIn().words(Aggregation.FIRST);
        assertEquals(List.of("B-ORG", "O"), words.stream().map(TaggedWord::tag).toList());
        assertEquals(List.of("Microsoft", "works"), words.stream().map(TaggedWord::word).toList());
        assertEquals(List.of(0, 1), words.stream().map(TaggedWord::wordIndex).toList());
        assertEquals("B-PER", microsoftIn().words(Aggregation.MAX).get(0).tag());
        assertThrows(XnerInputException.class, () -> microsoftIn().words(Aggregation.SIMPLE));
    }

    static Tagged microsoftIn() {
        return new Text("Microsoft works").add("Micro", 0, probs("B-ORG", 0.6, "O", 0.1, "I-ORG", 0.1))
                .add("##soft", 0, probs("B-PER", 0.9)).add("works", 1, probs("O", 0.95)).build();
    }

    @Test
    void softmaxOfLargeLogitsIsStableAndTiesGoToTheLowerLabel() {
        TaggedToken t = TaggedToken.fromLogits(1, "x", 0, 0, 1, false, new float[] {1000f, 1000f, -1000f, 0, 0, 0, 0});
        assertEquals(0.5, t.probability(0), EPS);
        assertEquals(0.5, t.probability(1), EPS);
        assertEquals(0, t.best());
    }

    @Test
    void tokenTagsIncludeTheSpecialTokensForTheTagTextTable() {
        assertEquals(List.of("O", "B-ORG", "B-PER", "O"), microsoft().tokenTags());
        assertEquals(List.of("[CLS]", "Micro", "##soft", "[SEP]"), microsoft().tokenStrings());
    }

    @Test
    void strategiesParseFromTheirNamesInAnyCase() {
        assertEquals(Aggregation.AVERAGE, Aggregation.parse("Average", "x"));
        assertEquals("first", Aggregation.FIRST.wireName());
        XnerInputException e = assertThrows(XnerInputException.class, () -> Aggregation.parse("mean", "--aggregation"));
        assertEquals("--aggregation: unknown aggregation strategy \"mean\" (expected none, simple, first, average or max)", e.getMessage());
    }

    @Test
    void jsonHasTheInferenceApiFieldsInItsOrder() {
        assertEquals("{\"entity_group\":\"ORG\",\"score\":0.5,\"word\":\"UBS\",\"start\":7,\"end\":10}",
                new EntityGroup("ORG", 0.5, "UBS", 7, 10).toJson().toString());
        assertEquals("{\"entity\":\"B-ORG\",\"score\":0.5,\"index\":3,\"word\":\"UBS\",\"start\":7,\"end\":10}",
                new TokenPrediction("B-ORG", 0.5, 3, "UBS", 7, 10).toJson().toString());
    }
}
