package xner.data;

import java.util.List;
import java.util.Locale;

/**
 * What a file's name says of its format: the one table that {@code train} and {@code evaluate}
 * ({@link CorpusFormat#detect}), {@code tag --input}, {@code select} and {@code spark-tag} read. A name without one of
 * these endings says nothing: each reader then looks at the content or takes its default.
 */
public enum FileExtension {
    JSON_LINES(".jsonl", ".ndjson", ".json"),
    CONLL(".conll", ".iob", ".iob2", ".bio"),
    PARQUET(".parquet");

    private final List<String> endings;

    FileExtension(String... endings) {
        this.endings = List.of(endings);
    }

    /** The format {@code fileName}'s ending names (case ignored), or null. */
    public static FileExtension of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (FileExtension e : values()) {
            for (String ending : e.endings) if (name.endsWith(ending)) return e;
        }
        return null;
    }

    /** The endings, as help texts list them: {@code .jsonl/.ndjson/.json}. */
    public String endings() {
        return String.join("/", endings);
    }
}
