package xner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * The contract every reader of outside bytes is fuzzed against (issue 26 §4), for the {@code @FuzzTest}s beside
 * each reader: an input either reads, or is refused with an {@link XnerInputException} whose message is one line
 * that starts with where the problem is (the file, then its line, byte offset or field, as a compiler says it).
 * Any other exception or error, a message that does not say where, a hang or an {@link OutOfMemoryError} is a
 * finding: it propagates to Jazzer, which saves the input that caused it.
 *
 * <p>Inputs are written into one folder of this JVM's own, the file of the last input replaced by the next, so
 * that a fuzzing run of millions of inputs leaves one folder behind, removed when the JVM exits.
 *
 * <pre>
 *   Path file = Fuzzing.file("train.conll", bytes);
 *   Fuzzing.readsOrRefuses(file, () -> ConllReader.readRaw(file, UTF_8, 1, 0));
 * </pre>
 *
 * <p>Fuzzing one target: {@code bench/fuzz.sh ConllReaderFuzzTest 300} (JAZZER_FUZZ=1 and the libFuzzer options;
 * docs/results/fuzzing.md has the runs); without {@code JAZZER_FUZZ} each target runs its committed inputs
 * ({@code src/test/resources/xner/.../<Test>Inputs/<method>/}) as a regression test.
 */
public final class Fuzzing {
    private static final Path ROOT = createRoot();

    private Fuzzing() {}

    /** {@code bytes} as the file {@code name} in this JVM's fuzzing folder (replacing the last input's). */
    public static Path file(String name, byte[] bytes) {
        Path file = ROOT.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An empty folder {@code name} in this JVM's fuzzing folder (the last input's files removed). */
    public static Path emptyFolder(String name) {
        Path dir = ROOT.resolve(name);
        try {
            deleteTree(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code read}; a refusal must name {@code file} first. */
    public static void readsOrRefuses(Path file, Runnable read) {
        readsOrRefuses(file.toString(), read);
    }

    /**
     * Runs {@code read}: it returns, or throws an {@link XnerInputException} whose message starts with {@code where}
     * and holds one line. Anything else propagates as it is.
     */
    public static void readsOrRefuses(String where, Runnable read) {
        try {
            read.run();
        } catch (XnerInputException e) {
            assertSaysWhere(e.getMessage(), where, e);
        }
    }

    /**
     * What {@code read} returns, or null when it refuses the input as {@link #readsOrRefuses} allows; for the
     * targets that go on to use what was read (a tokenizer encodes, a config is written back).
     */
    public static <T> T readOrNull(Path file, Supplier<T> read) {
        return readOrNull(file.toString(), read);
    }

    /** As {@link #readOrNull(Path, Supplier)}, where the refusal starts with {@code where}. */
    public static <T> T readOrNull(String where, Supplier<T> read) {
        try {
            return read.get();
        } catch (XnerInputException e) {
            assertSaysWhere(e.getMessage(), where, e);
            return null;
        }
    }

    /** A refusal's message: one line, starting with {@code where}. */
    public static void assertSaysWhere(String message, String where, Throwable refusal) {
        if (message == null || !message.startsWith(where)) {
            throw new AssertionError("refused without saying where (the message should start with \"" + where + "\"): "
                    + message, refusal);
        }
        if (message.indexOf('\n') >= 0) {
            throw new AssertionError("a refusal of more than one line (the CLI prints one): " + message, refusal);
        }
    }

    private static Path createRoot() {
        try {
            Path root = Files.createTempDirectory("xner-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(root);
                } catch (IOException ignored) {
                    // a temporary folder left behind in /tmp: nothing else to do at exit
                }
            }));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
