package xner.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import xner.XnerInputException;
import xner.select.Strategy;
import xner.train.TrainingConfig;

/**
 * How the active-learning simulation runs: the strategies compared, the rounds (annotated sentences after each,
 * ascending), the random strategy's seed, how round 1 chooses, the fine-tuning recipe of every round, and caps on the
 * data for quick looks (0 = all). {@link #frenchFromGerman()} and {@link #dutch()} are issue 23's two settings.
 *
 * @param setting       the setting's name, for the report ({@code french-from-german}, {@code dutch}, {@code custom})
 * @param training      the recipe every round fine-tunes the starting model with (the chapter's: AdamW 5e-5, weight
 *                      decay 0.01, linear decay, batch 24, 3 epochs, seed 42)
 * @param rounds        annotated sentences after each round, ascending: round k chooses {@code rounds[k] - rounds[k-1]}
 *                      more
 * @param seed          the random strategy's seed ({@link Strategy#randomKey}), and of a random first round
 * @param maxLength     sub-tokens per sentence in training, scoring and selection (0 = the tokenizer's)
 * @param maxPool       at most this many pool sentences, the first ones (0 = all)
 * @param maxValidation at most this many validation sentences, scored after every epoch (0 = all)
 * @param maxTest       at most this many test sentences (0 = all)
 * @param compareAt     the annotated sentences whose random F1 the target names (issue 23: 1,000)
 * @param budget        the most sentences the uncertainty strategies may take to reach it (issue 23: 500)
 */
public record ActiveLearningSettings(String setting, TrainingConfig training, List<Strategy> strategies,
                                     List<Integer> rounds, long seed, FirstRound firstRound, int maxLength, int maxPool,
                                     int maxValidation, int maxTest, int compareAt, int budget) {
    /** The strategies, random first: the baseline the others are read against. */
    public static final List<Strategy> ALL_STRATEGIES = List.of(Strategy.RANDOM, Strategy.MNLP, Strategy.ENTROPY);
    public static final long DEFAULT_SEED = 42;

    /**
     * How round 1 chooses. Later rounds always ask the model of the round before; round 1 has only the starting
     * model, whose head may be untrained (a pretrained body, or other labels): its uncertainty is then noise.
     */
    public enum FirstRound {
        /** The strategy when the starting model's head is kept for the pool's labels, else random. */
        AUTO,
        /** Each strategy asks the starting model, whatever its head. */
        STRATEGY,
        /** A random draw with {@code seed} for every strategy (a cold start), so all curves start at one point. */
        RANDOM;

        public static FirstRound parse(String name, String option) {
            for (FirstRound f : values()) if (f.name().equalsIgnoreCase(name.strip())) return f;
            throw new XnerInputException(option + ": expected auto, strategy or random, got \"" + name + "\"");
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ActiveLearningSettings {
        strategies = List.copyOf(strategies);
        rounds = List.copyOf(rounds);
        if (strategies.isEmpty()) throw new IllegalArgumentException("no strategy to compare");
        if (strategies.stream().distinct().count() != strategies.size()) {
            throw new IllegalArgumentException("a strategy is named twice: " + names(strategies));
        }
        if (rounds.isEmpty()) throw new IllegalArgumentException("no round");
        for (int i = 0; i < rounds.size(); i++) {
            if (rounds.get(i) <= 0 || i > 0 && rounds.get(i) <= rounds.get(i - 1)) {
                throw new IllegalArgumentException("rounds must be positive and ascending: " + rounds);
            }
        }
        if (maxLength < 0 || maxPool < 0 || maxValidation < 0 || maxTest < 0) {
            throw new IllegalArgumentException("caps must be >= 0");
        }
        if (compareAt <= 0 || budget <= 0) throw new IllegalArgumentException("the target's sizes must be > 0");
    }

    /**
     * Issue 23's first setting: the German model on the Swiss French pool (the chapter's zero-shot 0.7523 on French
     * test), rounds at 100, 250, 500 and 1,000 sentences.
     */
    public static ActiveLearningSettings frenchFromGerman() {
        return new ActiveLearningSettings("french-from-german", TrainingConfig.chapter(), ALL_STRATEGIES,
                List.of(100, 250, 500, 1000), DEFAULT_SEED, FirstRound.AUTO, 0, 0, 0, 0, 1000, 500);
    }

    /**
     * Issue 23's second setting: multilingual BERT on CoNLL-2002 Dutch ({@code ned.train} the pool, {@code ned.testb}
     * the test), rounds at 250, 500, 1,000 and 2,000; 256 sub-tokens as the README's Dutch run (ned.train has a
     * sentence of 859 words).
     */
    public static ActiveLearningSettings dutch() {
        return new ActiveLearningSettings("dutch", TrainingConfig.chapter(), ALL_STRATEGIES, List.of(250, 500, 1000, 2000),
                DEFAULT_SEED, FirstRound.AUTO, 256, 0, 0, 0, 1000, 500);
    }

    public ActiveLearningSettings withSetting(String name) {
        return new ActiveLearningSettings(name, training, strategies, rounds, seed, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withTraining(TrainingConfig config) {
        return new ActiveLearningSettings(setting, config, strategies, rounds, seed, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withStrategies(List<Strategy> list) {
        return new ActiveLearningSettings(setting, training, list, rounds, seed, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withRounds(List<Integer> sizes) {
        return new ActiveLearningSettings(setting, training, strategies, sizes, seed, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withSeed(long s) {
        return new ActiveLearningSettings(setting, training, strategies, rounds, s, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withFirstRound(FirstRound f) {
        return new ActiveLearningSettings(setting, training, strategies, rounds, seed, f, maxLength, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withMaxLength(int tokens) {
        return new ActiveLearningSettings(setting, training, strategies, rounds, seed, firstRound, tokens, maxPool,
                maxValidation, maxTest, compareAt, budget);
    }

    public ActiveLearningSettings withCaps(int pool, int validation, int test) {
        return new ActiveLearningSettings(setting, training, strategies, rounds, seed, firstRound, maxLength, pool,
                validation, test, compareAt, budget);
    }

    public ActiveLearningSettings withTarget(int compareAtSentences, int budgetSentences) {
        return new ActiveLearningSettings(setting, training, strategies, rounds, seed, firstRound, maxLength, maxPool,
                maxValidation, maxTest, compareAtSentences, budgetSentences);
    }

    /** Whether a cap leaves data out: the report then says it is not the experiment. */
    public boolean capped() {
        return maxPool > 0 || maxValidation > 0 || maxTest > 0;
    }

    static String names(List<Strategy> strategies) {
        List<String> names = new ArrayList<>();
        for (Strategy s : strategies) names.add(s.wireName());
        return String.join(",", names);
    }
}
