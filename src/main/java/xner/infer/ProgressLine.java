package xner.infer;

import java.io.PrintWriter;

/**
 * The progress line on the error stream: percentage of bytes, lines, lines/s and ETA, redrawn in place at
 * most once a second on a terminal; elsewhere one line every 10% so that logs stay short.
 */
final class ProgressLine {
    private final PrintWriter err;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private int lastDecile;
    private int drawnWidth;

    ProgressLine(PrintWriter err, long total) {
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
