package xner.train;

import xner.tokenize.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import xner.evaluate.Calibration;
import xner.evaluate.ScoredTokens;
import xner.model.ModelDirectory;
import xner.model.TokenClassifier;

/**
 * Fits a trained model's calibration temperature on labelled validation data and writes it into the model's
 * {@code config.json} ({@link xner.model.BertConfig#temperature}), where tag, serve, spark-tag, select and the ONNX
 * runtime read it. The tags do not change, only how sure the scores say they are.
 *
 * @param temperature what the logits are now divided by
 * @param objective   what it was fitted to
 * @param before      the entity scores' expected calibration error before (with the model's previous temperature)
 * @param after       the same with the fitted temperature
 * @param entities    predicted entities the errors are measured on
 * @param other       the temperature the other objective would have fitted, and {@code otherAfter} its error
 */
public record TemperatureCalibration(double temperature, Objective objective, double before, double after, int entities,
        double other, double otherAfter) {
    /** What the temperature is fitted to on the validation data. */
    public enum Objective {
        /** The likelihood of every labelled token's gold tag (Guo et al.'s temperature scaling). */
        TOKENS("the tokens' likelihood"),
        /** The log loss of the predicted entities' scores as the probability that each is right: what a review
         *  threshold or uncertainty sampling reads (the default). */
        ENTITIES("the entities' log loss");

        private final String description;

        Objective(String description) {
            this.description = description;
        }

        public static Objective parse(String value, String option) {
            for (Objective o : values()) if (o.name().equalsIgnoreCase(value.trim())) return o;
            throw new xner.XnerInputException(option + " must be tokens or entities, was " + value);
        }
    }

    /** Fits the temperature of the model in {@code modelDir} on {@code validation} and writes it into its config. */
    public static TemperatureCalibration fit(Path modelDir, List<Example> validation, int batchSize, int padId, Objective objective)
            throws IOException {
        double previous;
        Calibration.WordLogits logits;
        try (TokenClassifier model = TokenClassifier.load(modelDir)) {
            previous = model.config().temperature();
            logits = ScoredTokens.run(model, validation, batchSize, padId).wordLogits();
        }
        double tokens = logits.fitTemperature();
        double entityFit = logits.fitEntityTemperature();
        double t = objective == Objective.TOKENS ? tokens : entityFit;
        double other = objective == Objective.TOKENS ? entityFit : tokens;
        int entities = xner.evaluate.EntityChunker.chunks(logits.words().predicted()).size();
        TemperatureCalibration result = new TemperatureCalibration(t, objective, logits.calibrationError(previous),
                logits.calibrationError(t), entities, other, logits.calibrationError(other));
        ModelDirectory.rewriteConfig(modelDir, ModelDirectory.readConfig(modelDir).withTemperature(t));
        return result;
    }

    /** One line for the user. */
    public String describe() {
        return String.format(Locale.ROOT, "calibration: temperature %.3f fitted on validation to %s; expected calibration "
                + "error of the %d predicted entities' scores %.4f before, %.4f after (10 bins; tags unchanged; %s would "
                + "give %.3f, error %.4f)", temperature, objective.description, entities, before, after,
                objective == Objective.TOKENS ? Objective.ENTITIES.description : Objective.TOKENS.description, other, otherAfter);
    }
}
