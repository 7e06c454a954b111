package xner.experiment;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import xner.XnerInputException;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.model.ModelDirectory;

/**
 * The experiment's output folder as a record of progress: {@code runs/<id>/spec.json} (what the sub-run is),
 * {@code runs/<id>/model/} (the fine-tuner's output and checkpoints while it runs) and
 * {@code runs/<id>/result.json} (written atomically when it ends). A finished sub-run is one with a result;
 * a killed one has a checkpoint to resume from. Either is used only when its spec equals the one asked for.
 */
final class RunFolders {
    static final String RUNS = "runs";
    static final String SPEC = "spec.json";
    static final String RESULT = "result.json";
    static final String MODEL = "model";

    private final Path output;

    RunFolders(Path output) {
        this.output = output;
    }

    /**
     * The precision the sub-runs already started here were trained in (their {@code spec.json}), or empty when none
     * has started: what running the experiment again keeps unless told otherwise, so its parts come from one precision.
     */
    static java.util.Optional<xner.model.Precision> recordedPrecision(Path output) throws IOException {
        Path runs = output.resolve(RUNS);
        if (!Files.isDirectory(runs)) return java.util.Optional.empty();
        try (var dirs = Files.list(runs)) {
            for (Path dir : dirs.sorted().toList()) {
                Path spec = dir.resolve(SPEC);
                if (!Files.isRegularFile(spec)) continue;
                try {
                    JsonElement training = StrictJson.readObject(spec).get("training");
                    JsonElement precision = training == null ? null : training.getAsJsonObject().get("precision");
                    // a spec from before bf16 names none: fp32
                    return java.util.Optional.of(precision == null ? xner.model.Precision.FP32
                            : xner.model.Precision.valueOf(precision.getAsString().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
                    throw new XnerInputException(spec + ": not JSON (" + e.getMessage() + ")");
                }
            }
        }
        return java.util.Optional.empty();
    }

    Path runDir(String id) {
        return output.resolve(RUNS).resolve(id);
    }

    Path modelDir(String id) {
        return runDir(id).resolve(MODEL);
    }

    /** The result of a finished sub-run with this spec; an error when it was made with another. */
    Optional<SubRunResult> finished(String id, JsonObject spec) {
        return finished(id, spec, SubRunResult.class, SubRunResult::spec);
    }

    /**
     * The result of a finished sub-run of any experiment, read as {@code type}, whose spec ({@code specOf}) must equal
     * {@code spec}; empty when it has none, an error when it was made with another.
     */
    <T> Optional<T> finished(String id, JsonObject spec, Class<T> type, java.util.function.Function<T, JsonObject> specOf) {
        Path file = runDir(id).resolve(RESULT);
        if (!Files.isRegularFile(file)) return Optional.empty();
        T result;
        try {
            result = JsonOutput.PRETTY.fromJson(StrictJson.readObject(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new XnerInputException(file + ": not a sub-run result (" + e.getMessage() + "); delete " + runDir(id)
                    + " to run it again");
        }
        if (result == null || specOf.apply(result) == null) throw new XnerInputException(file + ": no spec in this result");
        checkSame(file, specOf.apply(result), spec);
        return Optional.of(result);
    }

    /**
     * Marks the sub-run as started with {@code spec}: an existing {@code spec.json} (a killed attempt's) must be
     * the same, so a checkpoint is never resumed with other data or settings.
     */
    void start(String id, JsonObject spec) throws IOException {
        Path file = runDir(id).resolve(SPEC);
        if (Files.isRegularFile(file)) {
            checkSame(file, StrictJson.readObject(file), spec);
        } else if (Files.isDirectory(modelDir(id).resolve("checkpoints"))) {
            throw new XnerInputException(modelDir(id) + " has checkpoints but " + file + " is missing: it cannot be "
                    + "told whether they belong to these settings; delete " + runDir(id) + " to start it afresh");
        }
        Durable.writeString(file, JsonOutput.PRETTY.toJson(spec));
    }

    /** The epochs a killed attempt finished, from its checkpoint, or 0. */
    int epochsDone(String id) throws IOException {
        Path state = modelDir(id).resolve("checkpoints").resolve("trainer_state.json");
        if (!Files.isRegularFile(state)) return 0;
        JsonElement epochs = StrictJson.readObject(state).get("epochsDone");
        return epochs == null ? 0 : epochs.getAsInt();
    }

    /** Writes the result (atomically), then drops the checkpoints and, unless kept, the model. */
    void finish(SubRunResult result, boolean keepModel) throws IOException {
        finish(result.id(), result, keepModel);
    }

    /** Writes any experiment's {@code result} of sub-run {@code id} (atomically), then tidies as {@link #tidy}. */
    void finish(String id, Object result, boolean keepModel) throws IOException {
        Durable.writeString(runDir(id).resolve(RESULT), JsonOutput.PRETTY.toJson(result));
        tidy(id, keepModel);
    }

    /** Removes what a finished sub-run no longer needs: its checkpoints always, its model unless kept. */
    void tidy(String id, boolean keepModel) throws IOException {
        Path model = modelDir(id);
        ModelDirectory.deleteRecursively(model.resolve("checkpoints"));
        ModelDirectory.deleteRecursively(model.resolve("checkpoints.tmp"));
        ModelDirectory.deleteRecursively(model.resolve("checkpoints.old"));
        if (!keepModel) ModelDirectory.deleteRecursively(model);
    }

    private static void checkSame(Path file, JsonElement stored, JsonObject wanted) {
        if (stored.equals(wanted)) return;
        List<String> differing = new ArrayList<>();
        differences("", stored, wanted, differing);
        throw new XnerInputException(file + ": made with other settings or data (" + String.join("; ", differing)
                + "); give another --output, or delete " + file.getParent() + " to run it again");
    }

    /** The leaves where two JSON values differ, as "path old there, new now". */
    private static void differences(String path, JsonElement old, JsonElement now, List<String> out) {
        if (java.util.Objects.equals(old, now)) return;
        if (old != null && now != null && old.isJsonObject() && now.isJsonObject()) {
            TreeSet<String> keys = new TreeSet<>(old.getAsJsonObject().keySet());
            keys.addAll(now.getAsJsonObject().keySet());
            for (String k : keys) {
                differences(path.isEmpty() ? k : path + "." + k, old.getAsJsonObject().get(k), now.getAsJsonObject().get(k), out);
            }
        } else {
            out.add(path + " " + old + " there, " + now + " now");
        }
    }
}
