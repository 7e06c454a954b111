package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Sentence;

/**
 * SIGTERM to a real {@code spark-tag} process while its tasks tag: the exit waits for every task to be between two
 * forward passes (libtorch is not unloaded under a running pass: no {@code hs_err} file), says in one line that
 * nothing was written, and leaves nothing under the output's name.
 */
class SparkTagStopTest {
    @TempDir Path dir;

    @Test
    void sigtermWhileTasksTagStopsBetweenPassesAndWritesNothing() throws IOException, InterruptedException {
        List<Sentence> sentences = TinyTagger.sentences(150, 2);
        Path model = TinyTagger.model(dir.resolve("model"), sentences, 11);
        // long lines (many windows each) repeated: minutes of tagging, most of it inside forward passes
        String line = String.join(" ", TinyTagger.texts(sentences));
        Path input = dir.resolve("in.txt");
        Files.write(input, java.util.Collections.nCopies(400, line));
        Path output = dir.resolve("out.jsonl");

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.add("@" + Path.of(System.getProperty("xner.spark.jvmArgs", "jvm.args")).toAbsolutePath());
        command.addAll(List.of("-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                "xner.spark.SparkTagCommand", "--model", model.toString(), "--input", input.toString(), "--output",
                output.toString(), "--master", "local[2]", "--partitions", "2", "--chunk", "4"));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(err.toFile()).start();
        try {
            Path partial = dir.resolve(".out.jsonl.partial");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!tasksWriting(partial) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(p.isAlive(), () -> "the run ended before it was stopped: " + read(err));
            assertTrue(tasksWriting(partial), () -> "no task started in time: " + read(err));
            Thread.sleep(3000); // the tasks are tagging
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), () -> "still running 90 s after SIGTERM: " + read(err));
        } finally {
            p.destroyForcibly();
        }
        String said = read(err);
        assertEquals(143, p.exitValue(), said); // 128 + SIGTERM: the JVM's exit after its shutdown hooks
        assertTrue(said.contains("xner: stopped (Ctrl-C or SIGTERM) before the job finished: nothing was written to "
                + output), said);
        assertTrue(said.contains("xner: stopped while tagging, after forward pass ") || said.contains("xner: stopped partition "),
                "a task parked between two passes or chunks: " + said);
        assertFalse(Files.exists(output), "the output's name appears only when the job is complete");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("hs_err")).toList(), said);
        }
    }

    /** Whether a task of the job has opened its output (Spark's {@code _temporary/.../attempt_...} folders). */
    private static boolean tasksWriting(Path partial) throws IOException {
        if (!Files.isDirectory(partial)) return false;
        try (Stream<Path> files = Files.walk(partial)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("attempt_"));
        } catch (java.io.UncheckedIOException e) {
            return false; // a folder Spark removed while we walked
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
