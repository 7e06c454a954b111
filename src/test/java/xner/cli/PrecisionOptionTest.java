package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.XnerInputException;
import xner.experiment.SwissPanxExperiment;
import xner.model.Precision;

/** What --precision resolves to: given, the default, or what a run being continued was trained in. */
class PrecisionOptionTest {
    @TempDir Path dir;

    @CommandLine.Command
    static final class Holder {
        @CommandLine.Mixin PrecisionOption option;
    }

    static PrecisionOption parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.option;
    }

    @AfterEach
    void reset() {
        Precision.use(Precision.FP32);
    }

    @Test
    void aGivenPrecisionWinsOverTheRecordedOneAndNoneGivenKeepsTheRecordedOne() {
        assertFalse(parse().given());
        assertEquals(Precision.parse(PrecisionOption.DEFAULT, "--precision"), parse().useOr(Optional.empty()));
        assertEquals(Precision.FP32, parse().useOr(Optional.of(Precision.FP32)));
        assertEquals(Precision.FP32, parse("--precision", "fp32").useOr(Optional.of(Precision.BF16)));
        if (Precision.cpuHasBf16Units()) {
            assertEquals(Precision.BF16, parse().useOr(Optional.of(Precision.BF16)));
            assertEquals(Precision.BF16, Precision.current(), "made the process default");
        } else {
            XnerInputException e = assertThrows(XnerInputException.class, () -> parse().useOr(Optional.of(Precision.BF16)));
            assertTrue(e.getMessage().startsWith("--precision"), e.getMessage());
        }
    }

    @Test
    void anExperimentRunAgainKeepsThePrecisionItsPartsStartedIn() throws Exception {
        assertEquals(Optional.empty(), SwissPanxExperiment.recordedPrecision(dir));
        Path run = Files.createDirectories(dir.resolve("runs/de"));
        Files.writeString(run.resolve("spec.json"), "{\"id\": \"de\", \"training\": {\"precision\": \"bf16\"}}");
        assertEquals(Optional.of(Precision.BF16), SwissPanxExperiment.recordedPrecision(dir));
        Files.writeString(run.resolve("spec.json"), "{\"id\": \"de\", \"training\": {\"seed\": 42}}");
        assertEquals(Optional.of(Precision.FP32), SwissPanxExperiment.recordedPrecision(dir), "a spec from before bf16");
        Files.writeString(run.resolve("spec.json"), "{\"id\": ");
        XnerInputException e = assertThrows(XnerInputException.class, () -> SwissPanxExperiment.recordedPrecision(dir));
        assertTrue(e.getMessage().startsWith(run.resolve("spec.json") + ": not valid JSON: "), e.getMessage());
    }
}
