package xner.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import xner.XnerInputException;
import xner.model.BertConfig;

/**
 * The memory a training run may take ({@code --max-memory}), and what that means for a batch: how many of its rows go
 * through forward and backward at once. A batch whose activations would not fit is cut into micro-batches whose
 * gradients add up to the whole batch's ({@link TrainingStep}), so batch 24 at 512 tokens trains in a few GB.
 *
 * <p>The estimate, per token of a micro-batch and per layer, is what backward keeps of BERT's forward in fp32: about
 * 12 hidden-size vectors (the layer's input, q, k, v, the context, the attention output and its dropout mask, two
 * LayerNorms' inputs) and 3 intermediate-size ones (the feed-forward product, GELU's output, its dropout mask),
 * and 4 rows of attention scores per head (scores, softmax, dropout mask, dropped); fixed: the weights, their
 * gradients and AdamW's two moments (4 floats per weight) and {@value #RUNTIME_BYTES_TEXT} for the JVM, libtorch and the data.
 * Measured against it (Intel Xeon, bf16 and fp32 alike): 24 × 256 tokens in one pass, estimate 13.2 GB, the run's
 * peak about 13 GB; 24 × 512, estimate 33 GB, killed at 24 GB.
 *
 * @param maxBytes what the run may take, resident, load included
 */
public record TrainingMemory(long maxBytes) {
    /** No limit: every batch in one pass (benchmarks, tests). */
    public static final TrainingMemory UNLIMITED = new TrainingMemory(Long.MAX_VALUE);

    /** The JVM (its heap as it grows in a run), libtorch's own buffers and the encoded data: measured, rounded up. */
    static final long RUNTIME_BYTES = 1_500L << 20;
    private static final String RUNTIME_BYTES_TEXT = "1.5 GB";

    /** The default's ceiling: what a training run should need on any machine, with micro-batches. */
    public static final long DEFAULT_CEILING = 8L << 30;

    public TrainingMemory {
        if (maxBytes <= 0) throw new XnerInputException("--max-memory must be more than 0, was " + maxBytes);
    }

    /** The default: 8 GB, or three quarters of the machine's memory (its cgroup's limit, if lower) when that is less. */
    public static TrainingMemory machineDefault() {
        long machine = machineBytes();
        return new TrainingMemory(machine <= 0 ? DEFAULT_CEILING : Math.min(DEFAULT_CEILING, machine / 4 * 3));
    }

    /** {@code 8g}, {@code 8G}, {@code 12000m}, {@code 512M}, or a number of bytes. */
    public static TrainingMemory parse(String text, String option) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("g") || t.endsWith("gb")) unit = 1L << 30;
        else if (t.endsWith("m") || t.endsWith("mb")) unit = 1L << 20;
        String digits = t.replaceAll("[a-z]+$", "");
        try {
            double value = Double.parseDouble(digits);
            if (!(value > 0)) throw new NumberFormatException();
            return new TrainingMemory((long) (value * unit));
        } catch (NumberFormatException e) {
            throw new XnerInputException(option + ": \"" + text + "\" is not an amount of memory (for example 8g or 12000m)");
        }
    }

    /** Bytes the weights, their gradients and AdamW's moments take, with the runtime's fixed share. */
    static long fixedBytes(long parameterCount) {
        return 16 * parameterCount + RUNTIME_BYTES;
    }

    /**
     * Bytes of activations backward keeps for one token of a sequence of {@code length} tokens, all layers, and
     * backward's own working set, about one layer's more (the gradients of the layer it is in): without it the peak
     * of a batch cut to fill the budget came out 5 % above it (CoNLL-2002 Dutch, 24 × 171 in micro-batches of 19
     * rows: 8,587 MB resident under --max-memory 8g; docs/results/training-memory/).
     */
    static long activationBytesPerToken(BertConfig c, int length) {
        long floats = 12L * c.hiddenSize() + 3L * c.intermediateSize() + 4L * c.numAttentionHeads() * length;
        return 4 * floats * (Math.max(1, c.numHiddenLayers()) + 1);
    }

    /** The estimated peak of one step on {@code rows} rows of {@code length} tokens at once. */
    public static long estimate(BertConfig c, long parameterCount, int rows, int length) {
        return fixedBytes(parameterCount) + (long) rows * length * activationBytesPerToken(c, length);
    }

    /** How many rows of {@code length} tokens go through forward and backward at once: at least one. */
    public int rowsPerPass(BertConfig c, long parameterCount, int length) {
        if (maxBytes == Long.MAX_VALUE) return Integer.MAX_VALUE;
        long room = maxBytes - fixedBytes(parameterCount);
        long perRow = (long) length * activationBytesPerToken(c, length);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, room / perRow));
    }

    /**
     * Whether a step on {@code rows} rows of {@code length} tokens, its largest pass's activations on top of
     * {@code residentBytes} the process holds now, would pass the budget (never without one).
     */
    public boolean wouldPass(long residentBytes, BertConfig c, long parameterCount, int rows, int length) {
        if (maxBytes == Long.MAX_VALUE) return false;
        long perPass = Math.min(rows, rowsPerPass(c, parameterCount, length));
        return residentBytes + perPass * length * activationBytesPerToken(c, length) > maxBytes;
    }

    /**
     * Refuses a run whose longest sequence alone would not fit, naming what it needs; otherwise says what the longest
     * batch will take and how it is cut.
     */
    public String check(BertConfig c, long parameterCount, int batchSize, int longest) {
        if (maxBytes == Long.MAX_VALUE) return "no memory limit";
        long one = estimate(c, parameterCount, 1, longest);
        if (one > maxBytes) {
            throw new XnerInputException(String.format(Locale.ROOT, "training needs about %s for one sequence of %d tokens (the "
                    + "longest), more than --max-memory %s: give a larger --max-memory if the machine has it, or a smaller "
                    + "--max-length", gb(one), longest, gb(maxBytes)));
        }
        int rows = Math.min(batchSize, rowsPerPass(c, parameterCount, longest));
        int parts = (batchSize + rows - 1) / rows;
        return String.format(Locale.ROOT, "memory: about %s at most (the longest batch, %d × %d tokens, %s), within --max-memory %s",
                gb(estimate(c, parameterCount, rows, longest)), batchSize, longest,
                parts == 1 ? "in one pass" : "in " + parts + " micro-batches of up to " + rows + " rows", gb(maxBytes));
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }

    /** This process's resident peak so far (VmHWM), or 0 where /proc cannot say. */
    public static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** The machine's memory, or its cgroup's limit when lower; 0 when neither can be read. */
    static long machineBytes() {
        long total = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) total = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no default beyond the ceiling
        }
        try {
            String limit = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).strip();
            if (!limit.equals("max")) {
                long cgroup = Long.parseLong(limit);
                total = total == 0 ? cgroup : Math.min(total, cgroup);
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 limit
        }
        return total;
    }
}
