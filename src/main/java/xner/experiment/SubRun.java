package xner.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.DatasetDict;

/**
 * One fine-tuning of the experiment: which languages it trains on, how many sentences, how many epochs, and
 * which test sets score it. Every sub-run starts from the pretrained body.
 *
 * @param id         its name and folder under {@code runs/}: {@code de}, {@code curve-250}, {@code de-fr},
 *                   {@code each-it}, {@code all}
 * @param group      the part of the chapter it belongs to, as {@code --only} names it
 * @param trainLangs the languages whose training splits are concatenated (and shuffled with the training seed
 *                   when there are several)
 * @param curveSize  for the learning curve, the number of French training sentences, else 0
 * @param testLangs  the languages whose test split is scored
 */
public record SubRun(String id, Group group, List<String> trainLangs, int curveSize, List<String> testLangs,
                     int epochs) {
    /** The Swiss corpus's languages, in the chapter's order. */
    public static final List<String> LANGS = List.of("de", "fr", "it", "en");

    public SubRun {
        trainLangs = List.copyOf(trainLangs);
        testLangs = List.copyOf(testLangs);
    }

    /** The parts of the chapter, in its order. */
    public enum Group {
        DE("de"), CURVE("curve"), DE_FR("de-fr"), EACH("each"), ALL("all");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The group called {@code label}; an error naming the groups otherwise. */
        public static Group of(String label) {
            for (Group g : values()) if (g.label.equals(label)) return g;
            throw new XnerInputException("--only: no part \"" + label + "\"; the parts are "
                    + String.join(", ", Arrays.stream(values()).map(Group::label).toList()));
        }
    }

    /** Every sub-run of the experiment, in the chapter's order. */
    public static List<SubRun> plan(ExperimentSettings settings) {
        List<SubRun> plan = new ArrayList<>();
        int e = settings.epochs();
        plan.add(new SubRun("de", Group.DE, List.of("de"), 0, LANGS, e));
        for (int n : settings.curveSizes()) {
            plan.add(new SubRun("curve-" + n, Group.CURVE, List.of("fr"), n, List.of("fr"), settings.curveEpochs()));
        }
        plan.add(new SubRun("de-fr", Group.DE_FR, List.of("de", "fr"), 0, LANGS, e));
        for (String lang : LANGS.subList(1, LANGS.size())) {
            plan.add(new SubRun("each-" + lang, Group.EACH, List.of(lang), 0, List.of(lang), e));
        }
        plan.add(new SubRun("all", Group.ALL, LANGS, 0, LANGS, e));
        return plan;
    }

    /**
     * The training sentences: the languages' training splits one after the other, shuffled with the training
     * seed when there are several (the chapter's {@code concatenate_splits}); for the learning curve, the first
     * {@code curveSize} French sentences after {@code shuffle(seed)} (the chapter's {@code train_on_subset});
     * then at most {@link ExperimentSettings#maxTrain()}.
     */
    public Dataset trainingSet(Map<String, DatasetDict> corpus, ExperimentSettings settings) {
        long seed = settings.training().seed();
        Dataset train = Dataset.concatenate(trainLangs.stream().map(l -> split(corpus, l, "train")).toList());
        if (trainLangs.size() > 1) train = train.shuffle(seed);
        if (curveSize > 0) {
            if (curveSize > train.size()) {
                throw new XnerInputException("learning curve: " + curveSize + " sentences asked for, but the "
                        + String.join("+", trainLangs) + " training split has " + train.size());
            }
            train = train.shuffle(seed).take(curveSize);
        }
        return cap(train, settings.maxTrain());
    }

    /** The validation splits of the training languages, one after the other, each capped. */
    public Dataset validationSet(Map<String, DatasetDict> corpus, ExperimentSettings settings) {
        return Dataset.concatenate(trainLangs.stream()
                .map(l -> cap(split(corpus, l, "validation"), settings.maxValidation())).toList());
    }

    /** One test language's split, capped. */
    public static Dataset testSet(Map<String, DatasetDict> corpus, String lang, ExperimentSettings settings) {
        return cap(split(corpus, lang, "test"), settings.maxTest());
    }

    private static Dataset split(Map<String, DatasetDict> corpus, String lang, String split) {
        DatasetDict dict = corpus.get(lang);
        if (dict == null) throw new XnerInputException("the corpus has no language \"" + lang + "\"");
        return dict.get(split);
    }

    private static Dataset cap(Dataset data, int max) {
        return max > 0 && data.size() > max ? data.take(max) : data;
    }

    /** Optimiser steps of this sub-run for a training set of {@code sentences}. */
    public int steps(int sentences, ExperimentSettings settings) {
        return settings.training().withEpochs(epochs).totalSteps(sentences);
    }
}
