package xner.evaluate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import xner.XnerInputException;

/**
 * Scores predicted tag sequences against gold ones at the entity level, exactly as seqeval does by default:
 * an entity counts as found only when its type and both ends match.
 *
 * <pre>
 *   EntityScores s = EntityScorer.score(gold, predicted);   // lists of sentences of tags
 *   System.out.print(s.report(2));
 * </pre>
 */
public final class EntityScorer {
    private EntityScorer() {}

    /**
     * @param gold      gold tags, one list per sentence
     * @param predicted predicted tags, the same number of sentences and tags per sentence
     */
    public static EntityScores score(List<List<String>> gold, List<List<String>> predicted) {
        return score(gold, predicted, false);
    }

    /**
     * @param strict score as seqeval's {@code mode="strict", scheme=IOB2} ({@link EntityChunker#strictChunks})
     *               instead of its default mode
     */
    public static EntityScores score(List<List<String>> gold, List<List<String>> predicted, boolean strict) {
        checkSameShape(gold, predicted);
        Set<EntityChunker.Chunk> goldChunks = new HashSet<>(strict ? EntityChunker.strictChunks(gold) : EntityChunker.chunks(gold));
        Set<EntityChunker.Chunk> predictedChunks = new HashSet<>(strict ? EntityChunker.strictChunks(predicted)
                : EntityChunker.chunks(predicted));

        Set<String> types = new TreeSet<>();
        Map<String, int[]> counts = new HashMap<>(); // type → {true positives, predicted, gold}
        for (EntityChunker.Chunk c : goldChunks) {
            types.add(c.type());
            counts.computeIfAbsent(c.type(), t -> new int[3])[2]++;
            if (predictedChunks.contains(c)) counts.get(c.type())[0]++;
        }
        for (EntityChunker.Chunk c : predictedChunks) {
            types.add(c.type());
            counts.computeIfAbsent(c.type(), t -> new int[3])[1]++;
        }

        Map<String, EntityScores.Score> perType = new TreeMap<>();
        int tp = 0, pred = 0, support = 0;
        double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedR = 0, weightedF = 0;
        for (String type : types) {
            int[] c = counts.get(type);
            EntityScores.Score s = EntityScores.Score.of(c[0], c[1], c[2]);
            perType.put(type, s);
            tp += c[0];
            pred += c[1];
            support += c[2];
            macroP += s.precision();
            macroR += s.recall();
            macroF += s.f1();
            weightedP += s.precision() * c[2];
            weightedR += s.recall() * c[2];
            weightedF += s.f1() * c[2];
        }
        int n = types.size();
        EntityScores.Score micro = EntityScores.Score.of(tp, pred, support);
        EntityScores.Score macro = n == 0 ? new EntityScores.Score(0, 0, 0, support)
                : new EntityScores.Score(macroP / n, macroR / n, macroF / n, support);
        EntityScores.Score weighted = support == 0 ? new EntityScores.Score(0, 0, 0, 0)
                : new EntityScores.Score(weightedP / support, weightedR / support, weightedF / support, support);
        return new EntityScores(perType, micro, macro, weighted);
    }

    private static void checkSameShape(List<List<String>> gold, List<List<String>> predicted) {
        if (gold.size() != predicted.size()) {
            throw new XnerInputException(gold.size() + " gold sentences but " + predicted.size() + " predicted");
        }
        for (int i = 0; i < gold.size(); i++) {
            if (gold.get(i).size() != predicted.get(i).size()) {
                throw new XnerInputException("sentence " + i + ": " + gold.get(i).size() + " gold tags but "
                        + predicted.get(i).size() + " predicted");
            }
        }
    }
}
