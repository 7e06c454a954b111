package xner.infer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import xner.XnerInputException;
import xner.data.Source;

/**
 * Tags a file record by record as it streams through: plain-text lines, JSON Lines with a {@code text}
 * field, or CoNLL sentences in; JSON Lines (the record with its entities) or CoNLL (a tag per word) out.
 * Records go to the pipeline in batches, and come out in input order.
 *
 * <p>A malformed record (bytes that are not UTF-8, a JSON line that is not an object with a {@code text}
 * string, a CoNLL line whose column count differs from its sentence's) is reported on the error stream with
 * its file and line, skipped, and counted; the run goes on. Blank JSON lines and CoNLL {@code -DOCSTART-}
 * lines are not records. A blank text line is a record: an empty text, so that output lines follow input lines.
 */
public final class FileTagger {
    /** The kinds of input file. */
    public enum InputFormat {
        /** One text per line. */
        TEXT,
        /** One JSON object per line with a {@code text} string; its other fields are carried to the output. */
        JSONL,
        /** One word per line, the word first and the gold tag last when there are two columns or more, a blank line between sentences. */
        CONLL;

        /** The format a file's extension says: {@code .jsonl}, {@code .ndjson}, {@code .json}; {@code .conll}, {@code .iob}, {@code .bio}; else text. */
        public static InputFormat of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return JSONL;
            if (name.endsWith(".conll") || name.endsWith(".iob") || name.endsWith(".iob2") || name.endsWith(".bio")) return CONLL;
            return TEXT;
        }

        public static InputFormat parse(String name, String field) {
            for (InputFormat f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new XnerInputException(field + ": unknown input format \"" + name + "\" (expected text, jsonl or conll)");
        }
    }

    /** The kinds of output file. */
    public enum OutputFormat {
        /** One JSON object per record: its text (and input fields) with {@code entities}, the pipeline's JSON. */
        JSONL,
        /** One word per line: {@code word tag}, or {@code word gold tag} when the CoNLL input had gold tags. */
        CONLL;

        /** CoNLL for {@code .conll}, {@code .iob}, {@code .bio} files, else JSON Lines. */
        public static OutputFormat of(Path file) {
            return InputFormat.of(file) == InputFormat.CONLL ? CONLL : JSONL;
        }

        public static OutputFormat parse(String name, String field) {
            for (OutputFormat f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new XnerInputException(field + ": unknown output format \"" + name + "\" (expected jsonl or conll)");
        }
    }

    /**
     * What a run did.
     *
     * @param lines   lines read
     * @param tagged  records tagged and written
     * @param skipped malformed records reported and left out
     */
    public record Summary(long lines, long tagged, long skipped) {
        @Override
        public String toString() {
            return String.format("%,d lines read, %,d records tagged, %,d skipped (malformed)", lines, tagged, skipped);
        }
    }

    private static final Pattern COLUMNS = Pattern.compile("[ \\t]+");
    private static final int REPORTS_SHOWN = 20; // then only counted, so a bad file cannot flood the terminal

    private final TagPipeline pipeline;
    private final Aggregation aggregation;
    private final int batchRecords;
    private final PrintWriter err;

    /**
     * @param batchRecords records sent to the pipeline together
     * @param err          where malformed records are reported and the progress line is drawn
     */
    public FileTagger(TagPipeline pipeline, Aggregation aggregation, int batchRecords, PrintWriter err) {
        if (batchRecords < 1) throw new IllegalArgumentException("batchRecords must be >= 1, was " + batchRecords);
        this.pipeline = pipeline;
        this.aggregation = aggregation;
        this.batchRecords = batchRecords;
        this.err = err;
    }

    /**
     * Tags {@code in} (read from {@code file}, named in messages; {@code totalBytes} for the progress line, or -1
     * when unknown) into {@code out}.
     */
    public Summary tag(InputStream in, Path file, long totalBytes, InputFormat inputFormat, Writer out, OutputFormat outputFormat)
            throws IOException {
        if (outputFormat == OutputFormat.CONLL && !aggregation.wordLevel()) {
            throw new XnerInputException("CoNLL output has one tag per word: it needs aggregation first, average or max, not "
                    + aggregation.wireName());
        }
        Run run = new Run(new LineReader(in), file, totalBytes, inputFormat, out, outputFormat);
        run.all();
        return new Summary(run.reader.lineNumber, run.tagged, run.skipped);
    }

    /** One input record: a text (or words), where it starts, and what travels to the output with it. */
    private record Record(int line, String text, List<String> words, List<String> gold, JsonObject fields) {}

    private final class Run {
        final LineReader reader;
        final Path file;
        final InputFormat inputFormat;
        final Writer out;
        final OutputFormat outputFormat;
        final Progress progress;
        final List<Record> pending = new ArrayList<>();
        long tagged;
        long skipped;

        Run(LineReader reader, Path file, long totalBytes, InputFormat inputFormat, Writer out, OutputFormat outputFormat) {
            this.reader = reader;
            this.file = file;
            this.inputFormat = inputFormat;
            this.out = out;
            this.outputFormat = outputFormat;
            this.progress = new Progress(err, totalBytes);
        }

        void all() throws IOException {
            if (inputFormat == InputFormat.CONLL) conll();
            else lines();
            flush();
            progress.done(reader.bytes, reader.lineNumber);
            out.flush();
        }

        void lines() throws IOException {
            for (byte[] raw; (raw = reader.next()) != null; ) {
                String line = decode(raw);
                if (line == null) continue;
                if (inputFormat == InputFormat.TEXT) {
                    add(new Record(reader.lineNumber, line, null, null, null));
                    continue;
                }
                if (line.isBlank()) continue;
                JsonObject object = jsonRecord(line);
                if (object != null) add(new Record(reader.lineNumber, object.get("text").getAsString(), null, null, object));
            }
        }

        JsonObject jsonRecord(String line) {
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(line);
            } catch (JsonParseException e) {
                malformed(reader.lineNumber, "not JSON: " + rootMessage(e));
                return null;
            }
            if (!parsed.isJsonObject()) {
                malformed(reader.lineNumber, "expected a JSON object with a \"text\" string, found " + kind(parsed));
                return null;
            }
            JsonElement text = parsed.getAsJsonObject().get("text");
            if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
                malformed(reader.lineNumber, "field \"text\": expected a string, found " + (text == null ? "none" : kind(text)));
                return null;
            }
            return parsed.getAsJsonObject();
        }

        void conll() throws IOException {
            List<String> words = new ArrayList<>();
            List<String> gold = new ArrayList<>();
            int first = 0;
            int columns = 0;
            boolean broken = false; // a malformed line: the rest of its sentence is skipped with it
            for (;;) {
                byte[] raw = reader.next();
                String line;
                if (raw == null) {
                    line = "";
                } else if (broken) {
                    line = new String(raw, StandardCharsets.UTF_8); // only looking for the end of the skipped sentence
                } else {
                    line = decode(raw);
                    if (line == null) {
                        broken = true;
                        continue;
                    }
                }
                String trimmed = line.strip();
                boolean boundary = trimmed.isEmpty() || trimmed.startsWith("-DOCSTART-");
                if (boundary) {
                    if (!broken && !words.isEmpty()) add(new Record(first, null, List.copyOf(words), columns > 1 ? List.copyOf(gold) : null, null));
                    words.clear();
                    gold.clear();
                    broken = false;
                    if (raw == null) return;
                    continue;
                }
                if (broken) continue;
                String[] cols = COLUMNS.split(trimmed);
                if (words.isEmpty()) {
                    first = reader.lineNumber;
                    columns = cols.length;
                } else if ((cols.length > 1) != (columns > 1)) {
                    malformed(reader.lineNumber, cols.length + " column" + (cols.length == 1 ? "" : "s") + " where the sentence's first line ("
                            + new Source(file, first) + ") has " + columns + "; the sentence is skipped");
                    broken = true;
                    continue;
                }
                words.add(cols[0]);
                gold.add(cols[cols.length - 1]);
            }
        }

        /** The line as text, or null (reported) when it is not UTF-8. */
        String decode(byte[] raw) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                malformed(reader.lineNumber, "not UTF-8 text");
                return null;
            }
        }

        void malformed(int line, String message) {
            skipped++;
            if (skipped <= REPORTS_SHOWN) progress.report(new Source(file, line).at(message) + "; skipped");
            else if (skipped == REPORTS_SHOWN + 1) progress.report("(further malformed records are counted, not shown)");
        }

        void add(Record r) throws IOException {
            pending.add(r);
            if (pending.size() >= batchRecords) flush();
        }

        void flush() throws IOException {
            if (pending.isEmpty()) return;
            List<Tagged> results;
            if (inputFormat == InputFormat.CONLL) {
                results = pipeline.tagWordsBatch(pending.stream().map(Record::words).toList());
            } else {
                results = pipeline.tagBatch(pending.stream().map(Record::text).toList());
            }
            for (int i = 0; i < pending.size(); i++) write(pending.get(i), results.get(i));
            tagged += pending.size();
            pending.clear();
            progress.update(reader.bytes, reader.lineNumber);
        }

        void write(Record r, Tagged t) throws IOException {
            if (outputFormat == OutputFormat.JSONL) {
                JsonObject o = new JsonObject();
                if (r.fields() != null) {
                    for (Map.Entry<String, JsonElement> e : r.fields().entrySet()) o.add(e.getKey(), e.getValue());
                } else if (r.words() != null) {
                    JsonArray tokens = new JsonArray();
                    r.words().forEach(tokens::add);
                    o.add("tokens", tokens);
                    o.addProperty("text", t.text());
                } else {
                    o.addProperty("text", r.text());
                }
                JsonArray entities = new JsonArray();
                for (Prediction p : t.predict(aggregation)) entities.add(p.toJson());
                o.add("entities", entities);
                out.write(o.toString());
                out.write('\n');
                return;
            }
            List<WordTag> words = t.words(aggregation);
            if (r.words() != null) {
                Map<Integer, String> byWord = new HashMap<>();
                for (WordTag w : words) byWord.put(w.wordIndex(), w.tag());
                for (int i = 0; i < r.words().size(); i++) {
                    out.write(r.words().get(i));
                    if (r.gold() != null) out.write(" " + r.gold().get(i));
                    out.write(" " + byWord.getOrDefault(i, "O") + "\n"); // a word without tokens is O
                }
            } else {
                for (WordTag w : words) out.write(w.word() + " " + w.tag() + "\n");
            }
            if (!words.isEmpty() || r.words() != null) out.write('\n');
        }
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) return "an array";
        if (e.isJsonNull()) return "null";
        if (e.isJsonObject()) return "an object";
        if (e.getAsJsonPrimitive().isString()) return "a string";
        if (e.getAsJsonPrimitive().isNumber()) return "a number";
        return "a boolean";
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }

    /**
     * Lines of a byte stream, LF or CRLF terminated, decoded by the caller one at a time, so that a bad byte is
     * reported at its own line and the stream is never held whole. A leading UTF-8 byte-order mark is dropped.
     */
    private static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int lineNumber;
        long bytes;

        LineReader(InputStream in) {
            this.in = new BufferedInputStream(in, 1 << 16);
        }

        byte[] next() throws IOException {
            line.reset();
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                bytes++;
                any = true;
                if (b == '\n') break;
                line.write(b);
            }
            if (!any) return null;
            lineNumber++;
            byte[] raw = line.toByteArray();
            int end = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            int start = lineNumber == 1 && end >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
            return java.util.Arrays.copyOfRange(raw, start, end);
        }
    }

    /**
     * The progress line on the error stream: percentage of bytes, lines, lines/s and ETA, redrawn in place at
     * most once a second on a terminal; elsewhere one line every 10% so that logs stay short.
     */
    private static final class Progress {
        private final PrintWriter err;
        private final long total;
        private final boolean terminal = System.console() != null;
        private final long started = System.nanoTime();
        private long lastDrawn;
        private int lastDecile;
        private int drawnWidth;

        Progress(PrintWriter err, long total) {
            this.err = err;
            this.total = total;
        }

        void update(long bytes, int lines) {
            long now = System.nanoTime();
            String text = line(bytes, lines, now);
            if (terminal) {
                if (now - lastDrawn < 1_000_000_000L) return;
                lastDrawn = now;
                err.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
                drawnWidth = text.length();
            } else {
                int decile = total > 0 ? (int) (bytes * 10 / total) : lastDecile;
                if (decile <= lastDecile) return;
                lastDecile = decile;
                err.println(text);
            }
            err.flush();
        }

        void done(long bytes, int lines) {
            if (terminal && drawnWidth > 0) {
                String text = line(bytes, lines, System.nanoTime());
                err.println("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
                drawnWidth = 0;
            }
            err.flush();
        }

        void report(String message) {
            if (terminal && drawnWidth > 0) {
                err.print("\r" + " ".repeat(drawnWidth) + "\r");
                drawnWidth = 0;
            }
            err.println(message);
            err.flush();
        }

        private String line(long bytes, int lines, long now) {
            double seconds = Math.max(1e-9, (now - started) / 1e9);
            double rate = lines / seconds;
            if (total <= 0) return String.format("tagging: %,d lines, %.1f lines/s", lines, rate);
            double fraction = Math.min(1.0, (double) bytes / total);
            int filled = (int) Math.round(20 * fraction);
            double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
            long s = Math.round(eta);
            return String.format("tagging: [%s%s] %3.0f%% %,d lines, %.1f lines/s, ETA %d:%02d", "#".repeat(filled),
                    ".".repeat(20 - filled), fraction * 100, lines, rate, s / 60, s % 60);
        }
    }
}
