package xner.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xner.XnerInputException;
import xner.data.HubDownloader;

/**
 * Where a model's files are, as a {@code --model} value names them: a folder, or a model repository of the Hugging Face
 * hub at a revision.
 *
 * <pre>
 *   ModelSource.parse("runs/de");                         // Folder, when runs/de is a folder here
 *   ModelSource.parse("dslim/bert-base-NER");             // Hub, revision main
 *   ModelSource.parse("dslim/bert-base-NER@v1.0");        // Hub at a branch, tag or commit
 *   LocalModel model = ModelSource.parse(arg).fetch(HubDownloader.fromEnvironment());
 * </pre>
 *
 * <p>The rule: <b>an existing folder wins</b>; otherwise a value of the form {@code ORG/NAME} or
 * {@code ORG/NAME@REVISION} (letters, digits, {@code - _ .}, as the hub allows in names) is a hub id; anything else is
 * a folder, which must then exist. So a folder {@code runs/de} that is not there is looked up on the hub as the model
 * {@code runs/de}, and the error says both. A value starting with {@code /}, {@code .} or {@code ~} is always a folder.
 */
public sealed interface ModelSource permits ModelSource.Folder, ModelSource.Hub {
    /** The revision of a hub id without {@code @REVISION}. */
    String DEFAULT_REVISION = "main";

    /** A model folder on this machine. */
    record Folder(Path path) implements ModelSource {
        public Folder {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A model repository of the hub ({@code ORG/NAME}) at a branch, tag or commit. */
    record Hub(String repo, String revision) implements ModelSource {
        public Hub {
            if (repo == null || !HUB_ID.matcher(repo).matches()) throw new XnerInputException("not a hub model id: \"" + repo + "\"");
            if (revision == null || revision.isBlank()) throw new XnerInputException(repo + ": an empty revision after @");
        }

        @Override
        public String toString() {
            return revision.equals(DEFAULT_REVISION) ? repo : repo + "@" + revision;
        }
    }

    /** ORG/NAME as huggingface_hub's validate_repo_id admits it; no "--" or "..", no leading or trailing "-" or ".". */
    Pattern HUB_ID = Pattern.compile("(?![^@]*(?:--|\\.\\.))(?![-.])[\\w.-]{1,96}(?<![-.])/(?![-.])[\\w.-]{1,96}(?<![-.])");
    Pattern HUB_ARGUMENT = Pattern.compile("(" + HUB_ID.pattern() + ")(?:@(.+))?");

    /** A {@code --model} value as the class comment says; nothing is fetched. */
    static ModelSource parse(String argument) {
        if (argument == null || argument.isBlank()) throw new XnerInputException("--model: empty");
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) return new Folder(path);
        char first = argument.charAt(0);
        Matcher hub = HUB_ARGUMENT.matcher(argument);
        if (first != '/' && first != '.' && first != '~' && hub.matches()) {
            return new Hub(hub.group(1), hub.group(2) == null ? DEFAULT_REVISION : hub.group(2));
        }
        return new Folder(path);
    }

    /**
     * The model's files on this machine: a folder as it is (nothing is checked here), a hub model fetched into the
     * cache ({@link HubModelFiles#fetch}).
     */
    default LocalModel fetch(HubDownloader hub) {
        if (this instanceof Hub h) return HubModelFiles.fetch(h, hub);
        return new LocalModel(((Folder) this).path(), this, null, false);
    }
}
