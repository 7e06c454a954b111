package xner.select;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import xner.XnerInputException;
import xner.data.InputRecord;
import xner.data.Progress;
import xner.data.RecordReader;
import xner.infer.Aggregation;
import xner.infer.FileTagger;
import xner.infer.JsonlRecordWriter;
import xner.infer.Outcome;
import xner.infer.TagPipeline;
import xner.infer.Tagged;

/**
 * Chooses the texts of a pool most worth annotating: the pool streams through (text lines, JSON Lines with a
 * {@code text}, or CoNLL sentences, read as {@code tag --input} reads them), each text is scored by a
 * {@link Strategy}, and the best {@code count} are kept in a {@link Shortlist}, then written as {@code tag}'s JSON
 * Lines (the record, its entities as pre-annotation) with their {@code score}, the one chosen first first.
 *
 * <pre>
 *   PoolSelector selector = new PoolSelector(pipeline, Strategy.MNLP, 100, 42, annotatedTexts, 512, err);
 *   RecordReader records = InputFormat.TEXT.reader(Files.newInputStream(pool), pool, ColumnLayout.DEFAULT);
 *   PoolSelector.Selection s = selector.select(records, Files.size(pool));
 *   s.write(out);
 * </pre>
 *
 * <p>Memory is bounded whatever the pool's size: the shortlist's {@code count} records, one chunk of records
 * being tagged, and the texts to leave out. A text is never chosen twice: a repeat of a text on the shortlist is
 * not scored again, and the shortlist keeps one candidate per text (a repeat of a text that has left it scores as
 * it did and loses the tie to its earlier self). A text in {@code excluded} (already annotated) or without a word
 * is never chosen. A record that cannot be read, or that the model fails on alone, is reported with its file and
 * line, skipped and counted, as {@code tag} does.
 */
public final class PoolSelector {
    /** The aggregation of the pre-annotation: words whole, as a span file needs them (and {@code tag} writes by default). */
    public static final Aggregation PRE_ANNOTATION = Aggregation.FIRST;
    private static final int REPORTS_SHOWN = 20; // then only counted, so a bad file cannot flood the terminal

    /**
     * What a run did.
     *
     * @param lines        lines read
     * @param records      records read (malformed ones not included)
     * @param considered   texts scored (or, for random, given a key)
     * @param excluded     texts left out because {@code --exclude} holds them
     * @param repeats      texts left out because the same text was on the shortlist (or in the same chunk)
     * @param withoutWords texts left out because they have no word (blank lines)
     * @param skipped      malformed records, and records the model failed on, reported and left out
     * @param chosen       texts chosen
     */
    public record Summary(long lines, long records, long considered, long excluded, long repeats, long withoutWords,
            long skipped, int chosen) {
        @Override
        public String toString() {
            return String.format("%,d lines read, %,d texts scored, %,d already annotated (--exclude), %,d repeats, "
                    + "%,d without words, %,d skipped (malformed); %,d chosen", lines, considered, excluded, repeats,
                    withoutWords, skipped, chosen);
        }
    }

    /** The texts chosen, the one chosen first first, and what the run did. */
    public record Selection(List<Candidate> chosen, Summary summary) {
        public Selection {
            chosen = List.copyOf(chosen);
        }

        /** Writes one JSON Lines record per chosen text. */
        public void write(Writer out) throws IOException {
            for (Candidate c : chosen) {
                out.write(JsonlRecordWriter.line(c.output()));
                out.write('\n');
            }
        }
    }

    /** What tags a chunk of records: the pipeline, or in a test a stand-in. */
    interface Tagging {
        List<Tagged> tag(List<InputRecord> records);
    }

    private final Tagging tagging;
    private final Strategy strategy;
    private final int count;
    private final long seed;
    private final Set<String> excluded;
    private final int chunk;
    private final PrintWriter err;

    /**
     * @param count    texts to choose
     * @param seed     the random strategy's seed
     * @param excluded texts already annotated: never chosen
     * @param chunk    records tagged together (sorted by length into passes by the pipeline)
     * @param err      where the progress line is drawn and malformed records reported
     */
    public PoolSelector(TagPipeline pipeline, Strategy strategy, int count, long seed, Set<String> excluded, int chunk,
            PrintWriter err) {
        this(records -> records.get(0) instanceof InputRecord.Words
                ? pipeline.tagWordsBatch(records.stream().map(r -> ((InputRecord.Words) r).words()).toList())
                : pipeline.tagBatch(records.stream().map(r -> ((InputRecord.Text) r).text()).toList()),
                strategy, count, seed, excluded, chunk, err);
    }

    PoolSelector(Tagging tagging, Strategy strategy, int count, long seed, Set<String> excluded, int chunk, PrintWriter err) {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, was " + count);
        if (chunk < 1) throw new IllegalArgumentException("chunk must be >= 1, was " + chunk);
        this.tagging = tagging;
        this.strategy = strategy;
        this.count = count;
        this.seed = seed;
        this.excluded = Set.copyOf(excluded);
        this.chunk = chunk;
        this.err = err;
    }

    /**
     * Chooses from the records {@code reader} gives (a file's, or sentences already in memory, as the active-learning
     * experiment's pool); {@code totalBytes} for the progress line, or -1 when unknown. A candidate's ordinal is its
     * record's place among those read.
     */
    public Selection select(RecordReader reader, long totalBytes) throws IOException {
        Run run = new Run(reader, Progress.to(err), totalBytes);
        run.all();
        return new Selection(run.chosen, new Summary(reader.lineNumber(), run.records, run.considered, run.excludedCount,
                run.repeats, run.withoutWords, run.skipped, run.chosen.size()));
    }

    /** The text a record is compared by: its text, or a CoNLL sentence's words joined as the pipeline joins them. */
    public static String textOf(InputRecord r) {
        if (r instanceof InputRecord.Text t) return t.text();
        if (r instanceof InputRecord.Words w) return String.join(" ", w.words());
        throw new IllegalArgumentException("a malformed record has no text: " + r);
    }

    /** One pass over a pool. */
    private final class Run {
        final RecordReader reader;
        final Progress progress;
        final long totalBytes;
        final Shortlist shortlist = new Shortlist(count, strategy.chosenFirst());
        final List<Candidate> pending = new ArrayList<>(); // read, not yet scored: one chunk
        final Set<String> pendingTexts = new HashSet<>();
        List<Candidate> chosen = List.of();
        long records;
        long considered;
        long excludedCount;
        long repeats;
        long withoutWords;
        long skipped;

        Run(RecordReader reader, Progress progress, long totalBytes) {
            this.reader = reader;
            this.progress = progress;
            this.totalBytes = totalBytes;
        }

        void all() throws IOException {
            for (InputRecord r; (r = reader.next()) != null; ) {
                if (r instanceof InputRecord.Malformed m) {
                    skip(m);
                    continue;
                }
                long ordinal = records++;
                String text = textOf(r);
                if (text.isBlank()) {
                    withoutWords++;
                } else if (excluded.contains(text)) {
                    excludedCount++;
                } else if (shortlist.holds(text) || pendingTexts.contains(text)) {
                    repeats++; // not scored again: the same text scores the same
                } else if (!strategy.scoresWithTheModel()) {
                    considered++;
                    shortlist.offer(new Candidate(ordinal, text, Strategy.randomKey(seed, text), r, null));
                    if (records % 4096 == 0) showProgress();
                } else {
                    pending.add(new Candidate(ordinal, text, 0, r, null));
                    pendingTexts.add(text);
                    if (pending.size() >= chunk) scorePending();
                }
            }
            scorePending();
            progress.finish(progressLine());
            chosen = complete(shortlist.best());
        }

        /** Scores the chunk read and offers each text to the shortlist; the output is made for those it keeps. */
        void scorePending() {
            if (pending.isEmpty()) return;
            List<Tagged> tagged = tag(pending);
            for (int i = 0; i < pending.size(); i++) {
                Tagged t = tagged.get(i);
                if (t == null) continue; // reported
                double score = strategy.score(t);
                if (Double.isNaN(score)) { // only characters the tokenizer drops
                    withoutWords++;
                    continue;
                }
                considered++;
                Candidate c = new Candidate(pending.get(i).ordinal(), pending.get(i).text(), score, pending.get(i).record(), null);
                if (shortlist.admits(c)) shortlist.offer(c.withOutput(output(c, t)));
            }
            pending.clear();
            pendingTexts.clear();
            showProgress();
        }

        /** The chosen candidates, each with its output: random's are tagged now, the model's first look at them. */
        List<Candidate> complete(List<Candidate> best) {
            List<Candidate> done = new ArrayList<>(best.size());
            for (int from = 0; from < best.size(); from += chunk) {
                List<Candidate> part = best.subList(from, Math.min(best.size(), from + chunk));
                List<Candidate> untagged = part.stream().filter(c -> c.output() == null).toList();
                List<Tagged> tagged = untagged.isEmpty() ? List.of() : tag(untagged);
                int k = 0;
                for (Candidate c : part) {
                    if (c.output() != null) {
                        done.add(c);
                        continue;
                    }
                    Tagged t = tagged.get(k++);
                    if (t != null) done.add(c.withOutput(output(c, t)));
                }
            }
            return done;
        }

        /** {@code tag}'s JSON Lines record of {@code c}, with its score. */
        JsonObject output(Candidate c, Tagged t) {
            JsonObject o = JsonlRecordWriter.toJson(c.record(), t, PRE_ANNOTATION);
            o.addProperty("score", c.score());
            return o;
        }

        /**
         * The candidates' records tagged together; when the batch fails (one text the tokenizer cannot take fails
         * it all), the records that fail alone are found by bisection ({@link Outcome#each}), so only such a record is
         * lost: null at its place, reported.
         */
        List<Tagged> tag(List<Candidate> batch) {
            List<InputRecord> records = batch.stream().map(Candidate::record).toList();
            List<Outcome<Tagged>> outcomes = Outcome.each(records, tagging::tag);
            List<Tagged> tagged = new ArrayList<>(batch.size());
            for (int i = 0; i < records.size(); i++) {
                Outcome<Tagged> o = outcomes.get(i);
                if (o.failed()) skip(new InputRecord.Malformed(records.get(i).source(), "tagging failed: " + firstLine(o.failure())));
                tagged.add(o.value());
            }
            return tagged;
        }

        void skip(InputRecord.Malformed m) {
            skipped++;
            if (skipped <= REPORTS_SHOWN) progress.report(m.source().at(m.reason()) + "; skipped");
            else if (skipped == REPORTS_SHOWN + 1) progress.report("(further malformed records are counted, not shown)");
        }

        void showProgress() {
            progress.update(fraction(), progressLine());
        }

        /** The part of the input read, by bytes; -1 when its size is unknown. */
        double fraction() {
            return totalBytes > 0 ? Math.min(1.0, (double) reader.bytesRead() / totalBytes) : -1;
        }

        String progressLine() {
            int lines = reader.lineNumber();
            double rate = lines / progress.seconds();
            String what = "selecting (" + strategy.wireName() + "): ";
            if (totalBytes <= 0) return String.format("%s%,d lines, %.1f lines/s", what, lines, rate);
            double fraction = fraction();
            return String.format("%s%s %3.0f%% %,d lines, %.1f lines/s, ETA %s", what, Progress.bar(fraction),
                    fraction * 100, lines, rate, progress.eta(fraction));
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
