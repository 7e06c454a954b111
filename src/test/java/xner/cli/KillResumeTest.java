package xner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.CorpusFileConfig;
import xner.data.CorpusFiles;
import xner.data.LabelMapping;
import xner.model.weights.SafetensorsReader;
import xner.testing.TinyModels;

/**
 * {@code kill -9} of {@code xner train} at random moments (during steps, evaluation, checkpoint writes),
 * each followed by {@code --resume}: every run must end with the steps of an uninterrupted one and, bit for
 * bit, its weights. The training runs in child JVMs so that the kill is a real SIGKILL. Five kills by default;
 * {@code -Dxner.kills=20} for the figure in docs/results/reliability.md.
 */
@Tag("slow")
class KillResumeTest {
    @TempDir static Path dir;
    static Path body;
    static Path train;
    static Path validation;

    private static boolean made;

    /**
     * Made before the first test, not in {@code @BeforeAll}: without its input each test skips with the reason, and
     * surefire's report counts them (a skip in {@code @BeforeAll} leaves neither the tests nor the reason there).
     */
    @BeforeEach
    void madeOnce() throws IOException {
        if (!made) smallDutchFilesAndATinyBody();
        made = true;
    }

    static void smallDutchFilesAndATinyBody() throws IOException {
        Path nl = xner.testing.TestData.conll2002Dutch();
        train = OwnDataCommandTest.firstSentences(nl.resolve("ned.train"), 300, dir.resolve("train.conll"));
        validation = OwnDataCommandTest.firstSentences(nl.resolve("ned.testa"), 200, dir.resolve("validation.conll"));
        CorpusFiles words = CorpusFiles.read(List.of(train, validation),
                CorpusFileConfig.defaults().withEncoding(StandardCharsets.ISO_8859_1), null, LabelMapping.NONE);
        body = TinyModels.bertBody(dir.resolve("body"), words.sentences(), 5);
    }

    @Test
    void everyKilledAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
        int kills = Integer.getInteger("xner.kills", 5);
        Path whole = dir.resolve("whole");
        long started = System.nanoTime();
        Process first = train(whole, false);
        long firstStepMillis = -1; // the JVM's start and the data's reading come before it: kills are spread after it
        while (first.isAlive()) {
            if (firstStepMillis < 0 && stepsDone(whole) > 0) firstStepMillis = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(5);
        }
        assertEquals(0, first.waitFor(), () -> "the uninterrupted run: " + read(log(whole, false)));
        long wholeMillis = (System.nanoTime() - started) / 1_000_000;
        long training = wholeMillis - Math.max(0, firstStepMillis);
        float[] expected = weights(whole);
        // a second run of the same command in another JVM whose garbage collector runs all the time: the same bits
        // (gradients once read Java buffers the collector had freed, issue 12 item 8; GradientUnderCollectorTest)
        Path again = dir.resolve("again");
        assertEquals(0, train(again, false, "-Xmn1m", "-XX:+UseSerialGC").waitFor(),
                () -> "the second uninterrupted run: " + read(log(again, false)));
        assertArrayEquals(expected, weights(again), "a second uninterrupted run, the collector running all the time");
        List<String> expectedSteps = Files.readAllLines(whole.resolve("train_steps.tsv"));

        Random random = new Random(Long.getLong("xner.killSeed", 7));
        Map<String, Integer> moments = new LinkedHashMap<>();
        List<String> report = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            Path out = dir.resolve("killed-" + k);
            // mostly during training; a few before the first step or after the end, as a busy machine runs slower or faster
            long after = Math.max(0, firstStepMillis) + (long) ((random.nextDouble() * 1.1 - 0.05) * training);
            Process run = train(out, false);
            boolean finished = run.waitFor(after, TimeUnit.MILLISECONDS);
            String moment = finished ? "after the end" : momentOf(out);
            if (!finished) {
                run.destroyForcibly(); // SIGKILL
                run.waitFor();
            }
            moments.merge(moment, 1, Integer::sum);
            int resumes = 0;
            if (!finished || !Files.isRegularFile(out.resolve("model.safetensors"))) {
                Process resume = train(out, true);
                assertEquals(0, resume.waitFor(), "resume after a kill " + moment + " (" + after + " ms): " + read(log(out, true)));
                resumes++;
            }
            float[] got = weights(out);
            assertArrayEquals(expected, got, "kill " + k + " " + moment + " at " + after + " ms");
            List<String> steps = Files.readAllLines(out.resolve("train_steps.tsv"));
            assertEquals(expectedSteps.size(), steps.size(), "kill " + k + " " + moment + ": every step logged once");
            for (int i = 1; i < steps.size(); i++) {
                assertEquals(expectedSteps.get(i), steps.get(i), "line " + i + " of the step log, kill " + k + " " + moment);
            }
            report.add(String.format("kill %2d at %5d ms %-28s resumed %d×: weights and step log bit for bit those of the "
                    + "uninterrupted run", k, after, moment, resumes));
        }
        System.out.println("kill -9 and --resume (uninterrupted run " + wholeMillis + " ms, its first step at "
                + firstStepMillis + " ms):");
        report.forEach(System.out::println);
        System.out.println("moments: " + moments);
        assertTrue(moments.values().stream().mapToInt(Integer::intValue).sum() == kills);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Where the run was when it was killed, from what it had written. */
    private static String momentOf(Path out) throws IOException {
        if (Files.exists(out.resolve("checkpoints.tmp")) || Files.exists(out.resolve("checkpoints.old"))) {
            return "during a checkpoint write";
        }
        int done = stepsDone(out);
        return done == 0 ? "before the first step" : "after step " + done;
    }

    private static int stepsDone(Path out) {
        try {
            Path steps = out.resolve("train_steps.tsv");
            if (!Files.isRegularFile(steps)) return 0;
            return (int) Files.readAllLines(steps).stream().filter(l -> !l.isBlank() && !l.startsWith("epoch")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code xner train} in a child JVM with {@code jvmOptions}: 3 epochs of the tiny body, output to {@code out}. */
    private static Process train(Path out, boolean resume, String... jvmOptions) throws IOException {
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", "-Dai.djl.offline=true"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                // one thread: MKL's dynamic threading takes fewer threads on a busy machine, and another summation
                // order gives other last digits even to two uninterrupted runs
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "xner.cli.Xner", "train",
                "--train", train.toString(), "--validation", validation.toString(), "--encoding", "latin-1",
                "--model", body.toString(), "--epochs", "3", "--batch-size", "8", "--lr", "1e-3",
                "--output", out.toString()));
        if (resume) command.add("--resume");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(out, resume).toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("MKL_NUM_THREADS", "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static Path log(Path out, boolean resume) {
        return out.resolveSibling(out.getFileName() + (resume ? "-resume" : "") + ".log");
    }

    private static float[] weights(Path model) {
        try (SafetensorsReader r = SafetensorsReader.open(model.resolve("model.safetensors"))) {
            List<Float> all = new ArrayList<>();
            for (String name : List.of("classifier.weight", "bert.embeddings.word_embeddings.weight",
                    "bert.encoder.layer.1.output.dense.weight")) {
                for (float v : r.read(name)) all.add(v);
            }
            float[] values = new float[all.size()];
            for (int i = 0; i < values.length; i++) values[i] = all.get(i);
            return values;
        }
    }
}
