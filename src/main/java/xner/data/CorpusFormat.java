package xner.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import xner.XnerInputException;
import xner.io.StrictJson;

/** The formats of a user's tagged files, and how one is told from the file's name and first lines. */
public enum CorpusFormat {
    /** CoNLL columns: word first (or {@code --token-column}), tag last (or {@code --tag-column}). */
    CONLL,
    /** JSON Lines: {@code {"tokens": [...], "ner_tags": [...]}} per line. */
    JSONL,
    /**
     * JSON Lines of texts with their entities as character offsets: Prodigy's {@code spans}, doccano's {@code label},
     * or {@code tag}'s own {@code entities} ({@link SpanReader}).
     */
    SPANS,
    /** PAN-X as XTREME packages it: {@code lang:token<TAB>tag}. */
    PANX;

    private static final Pattern PANX_LINE = Pattern.compile("[a-z]{2,3}:[^\\t]+\\t\\S+");

    /** The format named {@code name}: conll, jsonl (or json), spans, panx; case ignored. */
    public static CorpusFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "conll", "tsv", "iob" -> CONLL;
            case "jsonl", "json" -> JSONL;
            case "spans" -> SPANS;
            case "panx" -> PANX;
            default -> throw new XnerInputException("--format: expected conll, jsonl, spans or panx, got \"" + name + "\"");
        };
    }

    /**
     * The format of {@code file}: a JSON Lines name ({@link FileExtension}: {@code .jsonl}, {@code .ndjson},
     * {@code .json}) is JSON Lines; otherwise the first line
     * that is not blank decides: {@code {} starts JSON Lines, {@code lang:token<TAB>tag} is PAN-X, anything
     * else is CoNLL columns. JSON Lines whose first record has a {@code text} and no {@code ner_tags} are
     * {@link #SPANS}. A file holding NUL bytes (binary: parquet, gzip, a model) is refused.
     */
    public static CorpusFormat detect(Path file) {
        return detect(file, StandardCharsets.UTF_8);
    }

    /** As {@link #detect(Path)}, for a file in {@code charset} (NUL bytes are text in UTF-16 and UTF-32). */
    public static CorpusFormat detect(Path file, java.nio.charset.Charset charset) {
        if (FileExtension.of(file.getFileName().toString()) == FileExtension.JSON_LINES) return jsonLines(file, charset);
        byte[] head = new byte[8192];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new XnerInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        boolean asciiCompatible = "A\n".getBytes(charset).length == 2;
        for (int i = 0; i < n && asciiCompatible; i++) {
            if (head[i] == 0) {
                throw new XnerInputException(file + ": not a text file (byte 0x00 at offset " + i + "); expected CoNLL "
                        + "columns, JSON Lines or PAN-X (--format conll|jsonl|panx)");
            }
        }
        // an ASCII-compatible file is looked at as latin-1 (every byte one char; a cut multi-byte char cannot fail)
        String start = new String(head, 0, n, asciiCompatible ? StandardCharsets.ISO_8859_1 : charset);
        for (String line : start.split("\r?\n")) {
            String t = line.strip();
            if (t.startsWith("\uFEFF")) t = t.substring(1);
            if (t.startsWith("\u00ef\u00bb\u00bf")) t = t.substring(3); // a UTF-8 byte-order mark seen as latin-1
            if (t.isEmpty()) continue;
            if (t.startsWith("{")) return jsonLines(file, charset);
            if (PANX_LINE.matcher(t).matches()) return PANX;
            return CONLL;
        }
        return CONLL; // an empty file: the reader says it has no sentences
    }

    /**
     * JSON Lines of words and tags, or of texts and spans, as the first record says: one with a {@code text} and no
     * {@code ner_tags} is spans. A first record that cannot be read is left to the JSON Lines reader, which names its line.
     */
    private static CorpusFormat jsonLines(Path file, java.nio.charset.Charset charset) {
        try (java.io.BufferedReader in = Files.newBufferedReader(file, charset)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                if (line.startsWith("\uFEFF")) line = line.substring(1);
                com.google.gson.JsonElement first = StrictJson.parse(line);
                return first.isJsonObject() && SpanReader.isSpanRecord(first.getAsJsonObject()) ? SPANS : JSONL;
            }
        } catch (IOException | RuntimeException e) {
            return JSONL; // not UTF-8 or not JSON: JsonlReader says where
        }
        return JSONL;
    }
}
