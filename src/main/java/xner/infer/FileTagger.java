package xner.infer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import xner.XnerInputException;
import xner.data.ColumnLayout;
import xner.data.FileExtension;
import xner.data.InputRecord;
import xner.data.Progress;
import xner.data.RecordReader;

/**
 * Tags a file record by record as it streams through: plain-text lines, JSON Lines with a {@code text}
 * field, or CoNLL sentences in; JSON Lines (the record with its entities) or CoNLL (a tag per word) out.
 * Records go to the pipeline in batches, and come out in input order. This class is the loop: the records
 * come from a {@link RecordReader} of {@code xner.data}, go out through one {@link RecordWriter} per format.
 *
 * <p>Every record read has its record in the output, in input order: a blank text line is an empty text
 * (in CoNLL output the comment line {@code # empty record (line N)}). A record that cannot be read or written
 * (bytes that are not UTF-8, a JSON line that is not strict JSON or not an object with a {@code text} string,
 * a CoNLL line without a word or whose column count differs from its sentence's, a word CoNLL output cannot
 * hold) is reported on the error stream with its file and line, skipped, and counted; the run goes on. Blank
 * JSON lines, CoNLL {@code -DOCSTART-} lines and comment lines before a sentence are not records. When the
 * pipeline fails on a batch, the records that fail alone are found by bisection ({@link TagPipeline#tagEach}): only
 * such a record is skipped, reported as {@code file:line: tagging failed: reason}.
 */
public final class FileTagger {
    /** The kinds of input file. */
    public enum InputFormat {
        /** One text per line. */
        TEXT,
        /** One JSON object per line with a {@code text} string; its other fields are carried to the output. */
        JSONL,
        /** One word per line, the word first and the gold tag last when there are two columns or more, a blank line between sentences. */
        CONLL,
        /** Documents (PDF, Office, HTML, e-mail...), one record each: a folder's files, or one file; see {@link RecordReader#documents}. */
        DOCUMENTS;

        /** The format a file's name says ({@link FileExtension}): JSON Lines, CoNLL, else text. */
        public static InputFormat of(Path file) {
            FileExtension named = file.getFileName() == null ? null : FileExtension.of(file.getFileName().toString());
            if (named == FileExtension.JSON_LINES) return JSONL;
            if (named == FileExtension.CONLL) return CONLL;
            return TEXT;
        }

        /**
         * The records of {@code in} (read from {@code file}, named in messages) in this format: text and JSON Lines in
         * {@code layout}'s charset, CoNLL in its charset and columns, as {@code train} reads them.
         */
        public RecordReader reader(InputStream in, Path file, ColumnLayout layout) {
            return switch (this) {
                case TEXT -> RecordReader.text(in, file, layout.encoding());
                case JSONL -> RecordReader.jsonl(in, file, layout.encoding());
                case CONLL -> RecordReader.conll(in, file, layout);
                case DOCUMENTS -> throw new IllegalArgumentException("documents are read by a RecordReader.documents");
            };
        }

        public static InputFormat parse(String name, String field) {
            for (InputFormat f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new XnerInputException(field + ": unknown input format \"" + name + "\" (expected text, jsonl, conll or documents)");
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
     * @param lines   lines read (documents, when {@code unit} says so)
     * @param tagged  records tagged and written
     * @param skipped malformed records reported and left out
     * @param unit    what {@code lines} counts: {@code lines} or {@code documents}
     */
    public record Summary(long lines, long tagged, long skipped, String unit) {
        public Summary(long lines, long tagged, long skipped) {
            this(lines, tagged, skipped, "lines");
        }

        @Override
        public String toString() {
            if (unit.equals("documents")) {
                return String.format("%,d document%s read, %,d tagged, %,d skipped (could not be read)", lines, lines == 1 ? "" : "s",
                        tagged, skipped);
            }
            return String.format("%,d lines read, %,d records tagged, %,d skipped (malformed)", lines, tagged, skipped);
        }
    }

    private static final int REPORTS_SHOWN = 20; // then only counted, so a bad file cannot flood the terminal

    /**
     * What tags the records: the pipeline's two batch methods, or in a test a stand-in that fails on purpose. The
     * bad records of a failing batch are found as {@link TagPipeline#tagEach} finds them, by {@link Outcome#each}.
     */
    interface Tagging {
        List<Tagged> texts(List<String> texts);

        List<Tagged> words(List<List<String>> sentences);
    }

    private final Tagging tagging;
    private final Aggregation aggregation;
    private final int batchRecords;
    private final PrintWriter err;
    private double minScore; // JSON Lines entities scored below it are left out; set once, before tagging
    private boolean withText = true; // JSON Lines records carry their text
    private volatile long written; // records of the current run written and flushed: read by a shutdown hook
    private volatile int linesRead;

    /**
     * @param batchRecords records sent to the pipeline together
     * @param err          where malformed records are reported and the progress line is drawn
     */
    public FileTagger(TagPipeline pipeline, Aggregation aggregation, int batchRecords, PrintWriter err) {
        this(new Tagging() {
            @Override
            public List<Tagged> texts(List<String> texts) {
                return pipeline.tagBatch(texts);
            }

            @Override
            public List<Tagged> words(List<List<String>> sentences) {
                return pipeline.tagWordsBatch(sentences);
            }
        }, aggregation, batchRecords, err);
    }

    FileTagger(Tagging tagging, Aggregation aggregation, int batchRecords, PrintWriter err) {
        if (batchRecords < 1) throw new IllegalArgumentException("batchRecords must be >= 1, was " + batchRecords);
        this.tagging = tagging;
        this.aggregation = aggregation;
        this.batchRecords = batchRecords;
        this.err = err;
    }

    /** Leaves out of JSON Lines output the entities scored below {@code p} (0, the default, keeps all); returns this. */
    public FileTagger withMinScore(double p) {
        if (!(p >= 0 && p <= 1)) throw new xner.XnerInputException("--min-score must be between 0 and 1, was " + p);
        this.minScore = p;
        return this;
    }

    /** Leaves the {@code text} field out of JSON Lines records (a document's text can be long); returns this. */
    public FileTagger withoutText() {
        this.withText = false;
        return this;
    }

    /**
     * Tags the records of {@code reader} ({@code totalBytes} the size of what it reads, for the progress line, or -1)
     * into {@code out}: the documents of {@link RecordReader#documents}, or any other reader.
     */
    public Summary tag(RecordReader reader, long totalBytes, Writer out, OutputFormat outputFormat) throws IOException {
        RecordWriter writer = RecordWriter.of(outputFormat, out, aggregation, minScore, withText);
        written = 0;
        linesRead = 0;
        Run run = new Run(reader, writer, out, Progress.to(err), totalBytes);
        run.all();
        return new Summary(reader.lineNumber(), run.tagged, run.skipped, reader.unit());
    }

    /**
     * Records of the current (or last) {@link #tag} written to its output and flushed: what a run stopped by
     * Ctrl-C has written. Safe to read from another thread.
     */
    public long written() {
        return written;
    }

    /** Input lines read up to the last record {@link #written()} counts. Safe to read from another thread. */
    public int linesRead() {
        return linesRead;
    }

    /** One pass over a file: records read into a chunk, tagged together, written in input order. */
    private final class Run {
        final RecordReader reader;
        final RecordWriter writer;
        final Writer out;
        final Progress progress;
        final long totalBytes; // the input's size, 0 or less when unknown (a pipe)
        final List<InputRecord> pending = new ArrayList<>();
        long tagged;
        long skipped;

        Run(RecordReader reader, RecordWriter writer, Writer out, Progress progress, long totalBytes) {
            this.reader = reader;
            this.writer = writer;
            this.out = out;
            this.progress = progress;
            this.totalBytes = totalBytes;
        }

        void all() throws IOException {
            for (InputRecord r; (r = reader.next()) != null; ) {
                if (r instanceof InputRecord.Malformed m) {
                    skip(m);
                    continue;
                }
                pending.add(r);
                if (pending.size() >= batchRecords) flush();
            }
            flush();
            progress.finish(progressLine());
            out.flush();
        }

        void flush() throws IOException {
            if (pending.isEmpty()) return;
            // one record can fail a whole chunk (a text the tokenizer cannot take): the records that fail alone are
            // found by bisection and skipped, the others tagged
            List<Outcome<Tagged>> outcomes = Outcome.each(pending, this::tag);
            for (int i = 0; i < pending.size(); i++) {
                InputRecord r = pending.get(i);
                Outcome<Tagged> t = outcomes.get(i);
                if (t.failed()) {
                    skip(new InputRecord.Malformed(r.source(), "tagging failed: " + firstLine(t.failure())));
                    continue;
                }
                try {
                    writer.write(r, t.value());
                    tagged++;
                } catch (XnerInputException e) { // the output format cannot hold this record: nothing of it was written
                    skip(new InputRecord.Malformed(r.source(), e.getMessage()));
                }
            }
            pending.clear();
            out.flush(); // a run that is stopped leaves whole records, as many as written() says
            written = tagged;
            linesRead = reader.lineNumber();
            progress.update(fraction(), progressLine());
        }

        /** The part of the input read, by bytes; -1 when its size is unknown. */
        double fraction() {
            return totalBytes > 0 ? Math.min(1.0, (double) reader.bytesRead() / totalBytes) : -1;
        }

        /** Percentage of bytes, lines, lines/s and ETA; lines and lines/s only when the size is unknown. */
        String progressLine() {
            int lines = reader.lineNumber();
            String unit = reader.unit();
            double rate = lines / progress.seconds();
            if (totalBytes <= 0) return String.format("tagging: %,d %s, %.1f %s/s", lines, unit, rate, unit);
            double fraction = fraction();
            return String.format("tagging: %s %3.0f%% %,d %s, %.1f %s/s, ETA %s", Progress.bar(fraction),
                    fraction * 100, lines, unit, rate, unit, progress.eta(fraction));
        }

        List<Tagged> tag(List<InputRecord> records) {
            if (records.get(0) instanceof InputRecord.Words) {
                return tagging.words(records.stream().map(r -> ((InputRecord.Words) r).words()).toList());
            }
            return tagging.texts(records.stream().map(r -> r instanceof InputRecord.Document d ? d.text()
                    : ((InputRecord.Text) r).text()).toList());
        }

        void skip(InputRecord.Malformed m) {
            skipped++;
            if (skipped <= REPORTS_SHOWN) progress.report(m.source().at(m.reason()) + "; skipped");
            else if (skipped == REPORTS_SHOWN + 1) progress.report("(further malformed records are counted, not shown)");
        }
    }

    /** An exception's message for a one-line report: its first line, or its type when it has none. */
    private static String firstLine(RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
