package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;

/**
 * {@code kill -9} of {@code xner tag --input} at random moments: the output's final name is either absent or
 * holds the whole uninterrupted output, never a complete-looking part. Child JVMs, so that the kill is real.
 * Five kills by default; {@code -Dxner.kills=20} for docs/results/reliability.md.
 */
@Tag("slow")
class KillTagTest {
    @TempDir Path dir;

    @Test
    void aKilledFileTaggingNeverLeavesACompleteLookingPartialOutput() throws Exception {
        Path model = KeywordModel.standard(dir.resolve("model"));
        Path input = dir.resolve("texts.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6000; i++) lines.add("Satz " + i + ": Jeff Dean ist in Zürich und arbeitet bei Google");
        Files.write(input, lines);

        Path whole = Files.createDirectory(dir.resolve("whole")).resolve("tagged.jsonl");
        long started = System.nanoTime();
        assertEquals(0, tag(input, model, whole).waitFor());
        long wholeMillis = (System.nanoTime() - started) / 1_000_000;
        byte[] expected = Files.readAllBytes(whole);

        int kills = Integer.getInteger("xner.kills", 5);
        Random random = new Random(Long.getLong("xner.killSeed", 11));
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        for (int k = 0; k < kills; k++) {
            Path out = dir.resolve("killed-" + k).resolve("tagged.jsonl");
            Files.createDirectories(out.getParent());
            long after = (long) (random.nextDouble() * wholeMillis);
            Process run = tag(input, model, out);
            if (!run.waitFor(after, TimeUnit.MILLISECONDS)) {
                run.destroyForcibly();
                run.waitFor();
            }
            String outcome;
            if (Files.exists(out)) {
                assertEquals(new String(expected), Files.readString(out), "kill " + k + " at " + after + " ms: the final name holds all");
                outcome = "finished before the kill: whole output";
            } else {
                try (Stream<Path> left = Files.list(out.getParent())) {
                    outcome = "no output under the final name" + (left.findAny().isPresent() ? ", a temporary file left" : "");
                }
            }
            outcomes.merge(outcome, 1, Integer::sum);
            assertFalse(Files.exists(out) && Files.size(out) < expected.length, "kill " + k);
        }
        System.out.println("kill -9 of tag --input (" + lines.size() + " lines, uninterrupted run " + wholeMillis + " ms): " + outcomes);
    }

    private static Process tag(Path input, Path model, Path output) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1", "xner.cli.Xner", "tag",
                "--model", model.toString(), "--input", input.toString(), "--output", output.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.getParent().resolveSibling(output.getParent().getFileName() + ".log").toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }
}
