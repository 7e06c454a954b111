package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.testing.Cli;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.train.StepProfile;

/** {@code xner bench train --profile} at tiny sizes: the phases are all there and add up to the step. */
class BenchTrainCommandTest {
    @TempDir Path dir;

    @Test
    void theProfileNamesTheCpuThePeakAndEveryPhaseAndItsSharesAddUp() throws IOException {
        Dataset german = Dataset.read(new PanxReader(LabelSet.PANX), TestData.panx().resolve("de/train"));
        Path body = TinyModels.bertBody(dir.resolve("body"), german, 7);
        Cli.Run r = Cli.run("bench", "train", "--model", body.toString(), "--data-dir", TestData.panx().toString(),
                "--batch-size", "4", "--length", "8", "--steps", "2", "--warmup", "1", "--profile");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<String> lines = Arrays.asList(r.out().split("\n"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("CPU: ") && l.length() > "CPU: ".length()), r.out());
        Matcher peak = Pattern.compile("fp32 product peak: ([0-9.]+) GFLOP/s").matcher(r.out());
        assertTrue(peak.find() && Double.parseDouble(peak.group(1)) > 0, r.out());
        double shares = 0;
        for (StepProfile.Phase phase : StepProfile.Phase.values()) {
            String row = lines.stream().filter(l -> l.startsWith("PROFILE " + phase.label + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + phase.label + " in\n" + r.out()));
            Matcher share = Pattern.compile(" ([0-9.]+)%").matcher(row);
            assertTrue(share.find(), row);
            shares += Double.parseDouble(share.group(1));
        }
        assertEquals(100, shares, 0.5, "the phases make up the step:\n" + r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("RESULT xner-train B=4 T=8 ")), r.out());
    }
}
