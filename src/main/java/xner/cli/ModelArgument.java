package xner.cli;

import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import xner.data.HubDownloader;
import xner.model.LocalModel;
import xner.model.ModelSource;

/**
 * The value of {@code --model}, shared by every command that takes a model: a folder, or a model on the Hugging Face
 * hub by id ({@link ModelSource} says which), fetched when the command runs, not when its arguments are parsed.
 */
final class ModelArgument {
    /** How a {@code --model} value is read: the sentences every {@code --model} help ends with. */
    static final String HELP = " DIR is a folder in Hugging Face layout; ORG/NAME[@REVISION] that is not a folder here is a "
            + "model on the Hugging Face hub, fetched into huggingface_hub's cache (HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN and "
            + "HF_HUB_OFFLINE=1 as huggingface_hub reads them). An existing folder of that name wins.";
    static final String LABEL = "DIR|ORG/NAME[@REV]";

    private ModelArgument() {}

    /** Parses {@code --model} without fetching anything. */
    static final class Converter implements ITypeConverter<ModelSource> {
        @Override
        public ModelSource convert(String value) {
            return ModelSource.parse(value);
        }
    }

    /**
     * The model's files on this machine. A folder is taken as it is; a hub model is fetched (or found in the cache), and
     * {@code err} is told each download and, at the end, which commit the files are from.
     */
    static LocalModel fetch(ModelSource source, PrintWriter err) {
        if (source instanceof ModelSource.Folder folder) return LocalModel.folder(folder.path());
        HubDownloader hub = HubDownloader.fromEnvironment().withNotes(note -> {
            err.println("xner: " + note);
            err.flush();
        });
        LocalModel model = source.fetch(hub);
        err.println("xner: model " + model.describe() + " in " + model.folder());
        err.flush();
        return model;
    }
}
