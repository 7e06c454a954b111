package xner.data;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The progress of one long piece of work (an epoch of training, a file being tagged) on the error stream. On a
 * terminal it is one line redrawn in place at most once a second. Elsewhere (nohup, CI, a log file) it is plain
 * lines: the first update, one at each tenth of the work, at least one every 30 seconds while work goes on, and
 * the last, so that a log shows a slow run moving.
 *
 * <p>Which of the two: the system property {@code xner.progress} ({@code terminal} or {@code plain}; {@code bin/xner}
 * sets {@code plain} when its error stream is not a terminal), else a terminal when {@link System#console()} is there.
 *
 * <pre>
 *   Progress progress = Progress.to(System.err);
 *   double f = done / (double) total;
 *   progress.update(f, "epoch 1/3 " + Progress.bar(f) + " " + done + "/" + total + " steps, ETA " + progress.eta(f));
 *   progress.finish("...");   // the last line, when the last update did not reach 1
 * </pre>
 */
public final class Progress {
    /** How often a terminal line is redrawn, at most. */
    static final long REDRAW_NANOS = 1_000_000_000L;
    /** How long a plain line may wait, at most, while work goes on. */
    public static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
    private static final int BAR_WIDTH = 20;

    private final Consumer<String> print;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long started;
    private boolean updated;
    private boolean finished;
    private long lastShown;
    private int lastTenth = -1;
    private int drawnWidth;

    /**
     * @param print    writes its text as it is and flushes
     * @param terminal whether lines are redrawn in place (a terminal) or printed one below the other (a log)
     * @param clock    nanoseconds, as {@link System#nanoTime()}
     */
    Progress(Consumer<String> print, boolean terminal, LongSupplier clock) {
        this.print = print;
        this.terminal = terminal;
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    /** Progress on {@code out}, drawn as this process's error stream asks (see the class comment). */
    public static Progress to(PrintStream out) {
        return new Progress(s -> {
            out.print(s);
            out.flush();
        }, onTerminal(), System::nanoTime);
    }

    /** Progress on {@code out}, drawn as this process's error stream asks (see the class comment). */
    public static Progress to(PrintWriter out) {
        return new Progress(s -> {
            out.print(s);
            out.flush();
        }, onTerminal(), System::nanoTime);
    }

    /** Whether progress is drawn for a terminal: {@code -Dxner.progress=terminal|plain}, else whether there is a console. */
    static boolean onTerminal() {
        String asked = System.getProperty("xner.progress");
        if ("plain".equals(asked)) return false;
        if ("terminal".equals(asked)) return true;
        return System.console() != null;
    }

    /**
     * Shows {@code line} when it is time to: {@code fraction} is the part of the work done (0 to 1; NaN or negative
     * when the total is unknown). A fraction of 1 finishes the line; later updates show nothing.
     */
    public void update(double fraction, String line) {
        if (finished) return;
        long now = clock.getAsLong();
        boolean last = fraction >= 1;
        boolean first = !updated;
        updated = true;
        if (terminal) {
            if (!first && !last && now - lastShown < REDRAW_NANOS) return;
            draw(line, last);
        } else {
            int tenth = fraction >= 0 ? (int) Math.floor(Math.min(fraction, 1) * 10 + 1e-9) : lastTenth;
            if (!first && !last && tenth <= lastTenth && now - lastShown < PLAIN_EVERY_NANOS) return;
            lastTenth = Math.max(lastTenth, tenth);
            print.accept(line + "\n");
        }
        lastShown = now;
        finished = last;
    }

    /** Shows the last line, unless an update at 1 did already or nothing was updated. */
    public void finish(String line) {
        if (finished || !updated) return;
        if (terminal) draw(line, true);
        else print.accept(line + "\n");
        finished = true;
    }

    /** Prints a message on a line of its own (on a terminal the progress line is cleared first and drawn again later). */
    public void report(String message) {
        if (terminal && drawnWidth > 0) {
            print.accept("\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
        }
        print.accept(message + "\n");
    }

    /** Seconds since this progress began. */
    public double seconds() {
        return Math.max(1e-9, (clock.getAsLong() - started) / 1e9);
    }

    /** The time left when {@code fraction} of the work is done now, as {@link #clock}. */
    public String eta(double fraction) {
        return clock(fraction > 0 ? seconds() * (1 - Math.min(fraction, 1)) / fraction : 0);
    }

    /** A bar of 20 cells for {@code fraction}: {@code [#####...............]}. */
    public static String bar(double fraction) {
        int filled = (int) Math.round(BAR_WIDTH * Math.max(0, Math.min(1, fraction)));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** A duration as {@code h:mm:ss}, rounded to the second: the one way xner writes one (ETAs, wall times, reports). */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private void draw(String line, boolean last) {
        print.accept("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())) + (last ? "\n" : ""));
        drawnWidth = last ? 0 : line.length();
    }
}
