package xner.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The project's JSON writing, one setting for every file and answer it writes ({@link StrictJson} reads).
 * Texts and names as they are (no HTML escaping: {@code "<s>"}, not {@code "\u003cs>"}); {@code NaN} and the
 * infinities written as Python's {@code json} module writes them (and reads them back), because a run whose
 * loss became NaN must still write its log rather than throw after hours of training.
 *
 * <pre>
 *   Files.writeString(dir.resolve("trainer_state.json"), JsonOutput.PRETTY.toJson(state));
 *   out.println(JsonOutput.LINE.toJson(summary));   // one line, for JSON Lines and piping
 * </pre>
 */
public final class JsonOutput {
    /** Indented, for files people read and diff. */
    public static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    /** One line, for JSON Lines, headers and compact files. */
    public static final Gson LINE = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private JsonOutput() {}
}
