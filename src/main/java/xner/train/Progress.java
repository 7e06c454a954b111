package xner.train;

import java.io.PrintStream;

/**
 * A one-line progress bar on the terminal (steps, steps/s, running loss, ETA), redrawn at most once a
 * second; without a terminal, one line every 10% so logs stay short.
 */
final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final int total;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private int lastDecile = -1;

    Progress(PrintStream out, String label, int total) {
        this.out = out;
        this.terminal = System.console() != null;
        this.label = label;
        this.total = total;
    }

    void update(int done, double runningLoss) {
        long now = System.nanoTime();
        double seconds = (now - started) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        String line = String.format("%s %s %d/%d steps, %.2f steps/s, loss %.4f, ETA %s", label, bar(done), done,
                total, rate, runningLoss, clock((total - done) / Math.max(rate, 1e-9)));
        if (terminal) {
            if (now - lastDrawn < 1_000_000_000L && done < total) return;
            lastDrawn = now;
            out.print("\r" + line + (done == total ? "\n" : ""));
        } else {
            int decile = done * 10 / Math.max(1, total);
            if (decile == lastDecile) return;
            lastDecile = decile;
            out.println(line);
        }
        out.flush();
    }

    private String bar(int done) {
        int filled = (int) Math.round(20.0 * done / Math.max(1, total));
        return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "]";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
