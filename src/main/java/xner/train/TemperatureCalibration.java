package xner.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import xner.evaluate.Calibration;
import xner.model.ModelDirectory;
import xner.model.TokenClassifier;

/**
 * Fits a trained model's calibration temperature on labelled validation data and writes it into the model's
 * {@code config.json} ({@link xner.model.BertConfig#temperature}), where tag, serve, spark-tag, select and the ONNX
 * runtime read it. The tags do not change, only how sure the scores say they are.
 *
 * @param temperature what the logits are now divided by
 * @param before      the entity scores' expected calibration error before (with the model's previous temperature)
 * @param after       the same with the fitted temperature
 * @param entities    predicted entities the errors are measured on
 */
public record TemperatureCalibration(double temperature, double before, double after, int entities) {
    /** Fits the temperature of the model in {@code modelDir} on {@code validation} and writes it into its config. */
    public static TemperatureCalibration fit(Path modelDir, List<Example> validation, int batchSize, int padId) throws IOException {
        AtomicReference<Calibration.WordLogits> collected = new AtomicReference<>();
        double previous;
        try (TokenClassifier model = TokenClassifier.load(modelDir)) {
            previous = model.config().temperature();
            Evaluation.run(model, validation, batchSize, padId, collected::set);
        }
        Calibration.WordLogits logits = collected.get();
        double t = logits.fitTemperature();
        int entities = xner.evaluate.EntityChunker.chunks(logits.words().predicted()).size();
        TemperatureCalibration result = new TemperatureCalibration(t, logits.calibrationError(previous), logits.calibrationError(t),
                entities);
        ModelDirectory.rewriteConfig(modelDir, ModelDirectory.readConfig(modelDir).withTemperature(t));
        return result;
    }

    /** One line for the user. */
    public String describe() {
        return String.format(Locale.ROOT, "calibration: temperature %.3f fitted on validation; expected calibration error of "
                + "the %d predicted entities' scores %.4f before, %.4f after (10 bins; tags unchanged)", temperature, entities,
                before, after);
    }
}
