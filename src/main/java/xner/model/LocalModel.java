package xner.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model whose files are on this machine: the folder that holds them (for a hub model, its snapshot in the cache),
 * where they came from, and for a hub model the commit.
 *
 * @param folder    the folder to load: {@code config.json}, weights, tokenizer files
 * @param source    what {@code --model} named
 * @param commit    the hub commit the files are from; null for a folder
 * @param fromCache true when the hub could not be reached and the cache's copy of the revision was taken
 */
public record LocalModel(Path folder, ModelSource source, String commit, boolean fromCache) {
    public LocalModel {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(source, "source");
        if ((source instanceof ModelSource.Hub) != (commit != null)) {
            throw new IllegalArgumentException("a hub model has a commit, a folder none: " + source + ", " + commit);
        }
    }

    /** A model folder given as such. */
    public static LocalModel folder(Path folder) {
        return new LocalModel(folder, new ModelSource.Folder(folder), null, false);
    }

    /** For messages: {@code runs/de}, or {@code dslim/bert-base-NER@main (commit 0123456789ab)}. */
    public String describe() {
        if (commit == null) return folder.toString();
        ModelSource.Hub hub = (ModelSource.Hub) source;
        return hub.repo() + "@" + hub.revision() + " (commit " + commit.substring(0, 12) + (fromCache ? ", from the cache: the hub "
                + "could not be reached" : "") + ")";
    }

    /** A short name: the folder's name, or the hub id. */
    public String name() {
        if (source instanceof ModelSource.Hub hub) return hub.repo();
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return name == null ? folder.toString() : name.toString();
    }
}
