package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import xner.XnerInputException;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.serve.AnnotationBatch.Span;

/**
 * The decisions on a batch, one JSON line each, appended to the output file in Prodigy's layout so that
 * {@code train}, {@code evaluate} and {@code select --exclude} read it as a span file:
 *
 * <pre>
 *   {"text": "Jeff Dean lebt in Zürich", "spans": [{"start": 0, "end": 9, "label": "PER", "text": "Jeff Dean"}],
 *    "answer": "accept", "id": 7, "_batch": {"file": "batch.jsonl", "sha256": "3f…", "line": 12}, "_timestamp": 1765143000}
 * </pre>
 *
 * {@code answer} is {@code accept}, {@code reject} or {@code ignore} (skipped); the batch record's other fields are
 * kept; {@code _batch} names the batch (the SHA-256 of its file) and the line the text came from.
 *
 * <p>Each decision is written whole and forced to the disk ({@link FileChannel#force}) before {@link #decide}
 * returns, so a process killed at any moment loses no decision it has answered. Opening an existing file reads it
 * back: a text decided there is not asked again; a last line cut off by a kill (no line end, not a whole record) is
 * removed and said; a record of another batch, of a line the batch does not have or with another text, a second
 * decision on one text, or any other damaged line is refused, naming the file and line. The file is locked while
 * open, so a second {@code annotate} on it is refused; within one process, a second decision on a text is a
 * {@link Conflict}, never a second record.
 */
public final class DecisionLog implements AutoCloseable {
    /** The fields a decision adds to the batch's record (a batch record's own copies of them are not carried). */
    static final Set<String> OWN_FIELDS = Set.of("answer", "_batch", "_timestamp");

    /** What was decided on a text, as Prodigy's {@code answer}. */
    public enum Answer {
        ACCEPT, REJECT, IGNORE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The answer named {@code name}, or null. */
        public static Answer parse(String name) {
            for (Answer a : values()) if (a.wireName().equals(name)) return a;
            return null;
        }
    }

    /** A decision on the batch's text {@code index} (0-based, in file order). */
    public record Decision(int index, Answer answer, List<Span> spans) {
        public Decision {
            spans = List.copyOf(spans);
        }
    }

    /** A decision refused because of another: the text was decided already, or a later decision stands after it. */
    public static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** How far the batch is: texts decided, by answer, and decisions made by this process. */
    public record Progress(int total, int accepted, int rejected, int ignored, int thisSession, Duration sessionTime) {
        public int done() {
            return accepted + rejected + ignored;
        }

        /** Decisions per hour in this session, or 0 before its first. */
        public double perHour() {
            double hours = sessionTime.toMillis() / 3_600_000.0;
            return thisSession == 0 || hours <= 0 ? 0 : thisSession / hours;
        }
    }

    /** The longest line read back: a record is its text, spans and the batch record's fields. */
    static final int MAX_LINE_BYTES = (int) AnnotationBatch.MAX_BYTES;

    private final Path file;
    private final AnnotationBatch batch;
    private final FileChannel channel;
    private final FileLock lock;
    private final Answer[] answers; // by index; null: undecided
    private final List<Integer> order = new ArrayList<>(); // the decided indices in file order
    private final List<Long> offsets = new ArrayList<>(); // the byte offset of each record, in file order
    private long size;
    private int thisSession;
    private long sessionStart = -1; // System.nanoTime of the first text shown, -1 before
    private boolean closed;

    private DecisionLog(Path file, AnnotationBatch batch, FileChannel channel, FileLock lock) {
        this.file = file;
        this.batch = batch;
        this.channel = channel;
        this.lock = lock;
        this.answers = new Answer[batch.size()];
    }

    /**
     * Opens {@code file} for the decisions on {@code batch}, creating it when missing and reading back what it holds;
     * {@code err} hears of a cut-off last line removed.
     */
    public static DecisionLog open(Path file, AnnotationBatch batch, PrintWriter err) {
        try {
            if (Files.exists(file) && Files.isSameFile(file, batch.file())) {
                throw new XnerInputException(file + ": the output is the batch itself; give another --output");
            }
            if (Files.isDirectory(file)) throw new XnerInputException(file + ": is a folder, expected a file");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) throw new XnerInputException(file + ": no folder " + parent);
            boolean created = !Files.exists(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // this process holds it already
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                throw new XnerInputException(file + ": another process is writing it (xner annotate on the same output?)");
            }
            if (created) Durable.syncParent(file); // the new file's name survives a crash of the machine too
            DecisionLog log = new DecisionLog(file, batch, channel, lock);
            try {
                log.readBack(err);
            } catch (RuntimeException | IOException e) {
                log.close();
                throw e;
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the records already there, line by line (what is held is one line, at most {@link #MAX_LINE_BYTES}, and the
     * decided indices), and removes a last line cut off by a kill.
     */
    private void readBack(PrintWriter err) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long start = 0; // the byte offset of the line being read
        long at = 0;
        int number = 0;
        for (int b; ; ) {
            b = in.read();
            if (b < 0 && line.size() == 0) break;
            if (b >= 0) at++;
            if (b >= 0 && b != '\n') {
                if (line.size() >= MAX_LINE_BYTES) {
                    throw new XnerInputException(file + ":" + (number + 1) + ": a line over " + MAX_LINE_BYTES + " bytes: not a decision record");
                }
                line.write(b);
                continue;
            }
            number++;
            JsonObject record = null;
            String problem = null;
            try {
                record = parse(line.toByteArray(), 0, line.size());
            } catch (XnerInputException e) {
                problem = e.getMessage();
            }
            if (b < 0) { // no line end: written last, perhaps cut off
                if (record == null) {
                    // the kill came while the record was written: it was never answered, so its text is asked again
                    channel.truncate(start);
                    channel.force(true);
                    err.println("xner: " + file + ":" + number + ": the last record was cut off (" + line.size()
                            + " bytes without a line end: the process was killed while writing it); removed, its text will be asked again");
                    err.flush();
                    break;
                }
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}), at); // whole but for its line end: kept
                channel.force(true);
            }
            if (record == null) throw new XnerInputException(file + ":" + number + ": not a decision record: " + problem);
            int index = check(record, number);
            answers[index] = Answer.parse(((JsonPrimitive) record.get("answer")).getAsString());
            order.add(index);
            offsets.add(start);
            line.reset();
            start = at;
            if (b < 0) break;
        }
        size = channel.size();
    }

    private static JsonObject parse(byte[] bytes, int from, int to) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new XnerInputException("not UTF-8");
        }
        JsonElement e = StrictJson.parse(line);
        if (!e.isJsonObject()) throw new XnerInputException("expected a JSON object, found " + StrictJson.kind(e));
        return e.getAsJsonObject();
    }

    /** The batch index {@code record} (line {@code line} of the file) decides, after checking that it is this batch's. */
    private int check(JsonObject record, int line) {
        String at = file + ":" + line + ": ";
        JsonElement b = record.get("_batch");
        if (!(b instanceof JsonObject from) || !(from.get("sha256") instanceof JsonPrimitive sha) || !sha.isString()
                || !(from.get("line") instanceof JsonPrimitive l) || !l.isNumber()) {
            throw new XnerInputException(at + "no \"_batch\" with \"sha256\" and \"line\": not written by xner annotate; give "
                    + "another --output");
        }
        if (!sha.getAsString().equals(batch.sha256())) {
            String name = from.get("file") instanceof JsonPrimitive f && f.isString() ? " (" + f.getAsString() + ")" : "";
            throw new XnerInputException(at + "belongs to another batch: its decisions were made on a batch file" + name
                    + " with SHA-256 " + sha.getAsString() + ", and " + batch.file() + " has " + batch.sha256()
                    + "; give another --output, or the --input it was made from");
        }
        int index = batch.indexOfLine(l.getAsInt());
        if (index < 0) throw new XnerInputException(at + "decides line " + l + " of the batch, which holds no text to annotate");
        if (!(record.get("text") instanceof JsonPrimitive t) || !t.getAsString().equals(batch.items().get(index).text())) {
            throw new XnerInputException(at + "its text is not that of " + batch.file() + ":" + l);
        }
        if (!(record.get("answer") instanceof JsonPrimitive a) || !a.isString() || Answer.parse(a.getAsString()) == null) {
            throw new XnerInputException(at + "field \"answer\": expected \"accept\", \"reject\" or \"ignore\", found " + record.get("answer"));
        }
        try {
            spans(record);
        } catch (RuntimeException e) {
            throw new XnerInputException(at + "field \"spans\": expected [{\"start\": ..., \"end\": ..., \"label\": ...}, ...], found "
                    + record.get("spans"));
        }
        if (answers[index] != null) {
            throw new XnerInputException(at + "a second decision on " + batch.file() + ":" + l + " (the first is line "
                    + (order.indexOf(index) + 1) + ")");
        }
        return index;
    }

    /** Whether text {@code index} has been decided. */
    public synchronized boolean decided(int index) {
        return answers[index] != null;
    }

    /** The first undecided index at or after {@code from} for which {@code open} holds, or -1. */
    public synchronized int firstUndecided(int from, java.util.function.IntPredicate open) {
        for (int i = Math.max(0, from); i < answers.length; i++) if (answers[i] == null && open.test(i)) return i;
        return -1;
    }

    /** Starts the clock of the session's rate (the first text shown); later calls do nothing. */
    public synchronized void startSession() {
        if (sessionStart < 0) sessionStart = System.nanoTime();
    }

    public synchronized Progress progress() {
        int accepted = 0;
        int rejected = 0;
        int ignored = 0;
        for (Answer a : answers) {
            if (a == Answer.ACCEPT) accepted++;
            else if (a == Answer.REJECT) rejected++;
            else if (a == Answer.IGNORE) ignored++;
        }
        Duration time = sessionStart < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - sessionStart);
        return new Progress(answers.length, accepted, rejected, ignored, thisSession, time);
    }

    /**
     * Appends {@code decision} and forces it to the disk; the spans must have been checked against the text.
     *
     * @throws Conflict when the text has been decided already (another tab): nothing is written
     */
    public synchronized void decide(Decision decision) {
        ensureOpen();
        int index = decision.index();
        if (answers[index] != null) {
            throw new Conflict("line " + batch.items().get(index).line() + " of " + batch.file().getFileName()
                    + " has been decided already (" + answers[index].wireName() + ", in another tab?)");
        }
        byte[] record = (JsonOutput.LINE.toJson(record(decision)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(record);
            long at = size;
            while (buffer.hasRemaining()) at += channel.write(buffer, at);
            channel.force(true);
        } catch (IOException e) {
            try { // a record half written would end the file's last line without a line end: it is removed
                channel.truncate(size);
            } catch (IOException ignored) {
                // the next start finds the line cut off and removes it
            }
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
        order.add(index);
        offsets.add(size);
        size += record.length;
        answers[index] = decision.answer();
        thisSession++;
    }

    /**
     * Takes back the decision on {@code index}, the file's last record: the file is cut before it (and forced), and
     * the decision returned so that it can be shown again.
     *
     * @throws Conflict when {@code index} is undecided, or another decision stands after it
     */
    public synchronized Decision undo(int index) {
        ensureOpen();
        if (answers[index] == null) throw new Conflict("line " + batch.items().get(index).line() + " has not been decided");
        int last = order.get(order.size() - 1);
        if (last != index) {
            throw new Conflict("another decision (on line " + batch.items().get(last).line() + ", in another tab?) was "
                    + "written after it; only the last decision can be undone");
        }
        long at = offsets.get(offsets.size() - 1);
        Decision decision;
        try {
            ByteBuffer bytes = ByteBuffer.allocate((int) (size - at));
            while (bytes.hasRemaining() && channel.read(bytes, at + bytes.position()) >= 0) { /* reads the record */ }
            JsonObject record = parse(bytes.array(), 0, bytes.capacity() - 1);
            decision = new Decision(index, answers[index], spans(record));
            channel.truncate(at);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot undo in " + file + ": " + e.getMessage(), e);
        }
        order.remove(order.size() - 1);
        offsets.remove(offsets.size() - 1);
        size = at;
        answers[index] = null;
        if (thisSession > 0) thisSession--;
        return decision;
    }

    /** The record of {@code d}, in Prodigy's layout with the batch record's other fields. */
    private JsonObject record(Decision d) {
        AnnotationBatch.Item item = batch.items().get(d.index());
        JsonObject o = new JsonObject();
        o.addProperty("text", item.text());
        JsonArray spans = new JsonArray();
        for (Span s : d.spans()) {
            JsonObject span = new JsonObject();
            span.addProperty("start", s.start());
            span.addProperty("end", s.end());
            span.addProperty("label", s.label());
            span.addProperty("text", item.text().substring(s.start(), s.end()));
            spans.add(span);
        }
        o.add("spans", spans);
        o.addProperty("answer", d.answer().wireName());
        for (var e : item.fields().entrySet()) o.add(e.getKey(), e.getValue());
        JsonObject from = new JsonObject();
        from.addProperty("file", batch.file().getFileName().toString());
        from.addProperty("sha256", batch.sha256());
        from.addProperty("line", item.line());
        o.add("_batch", from);
        o.addProperty("_timestamp", System.currentTimeMillis() / 1000);
        return o;
    }

    /** The spans of a record this log wrote. */
    private static List<Span> spans(JsonObject record) {
        List<Span> spans = new ArrayList<>();
        for (JsonElement e : record.getAsJsonArray("spans")) {
            JsonObject s = e.getAsJsonObject();
            spans.add(new Span(s.get("start").getAsInt(), s.get("end").getAsInt(), s.get("label").getAsString()));
        }
        return spans;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(file + " is closed");
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
