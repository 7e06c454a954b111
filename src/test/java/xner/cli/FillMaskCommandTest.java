package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xner.testing.Cli;
import xner.testing.TestData;

class FillMaskCommandTest {
    @Test
    void printsTheReferenceTopFiveForTheParisPrompt() {
        TestData.mbertJar();
        Cli.Run r = Cli.run("fill-mask", "Paris is the capital of [MASK] .");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        var lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        // reference: France 0.32702, Paris 0.19324, Europe 0.10834, Spain 0.03223, city 0.01837
        assertTrue(lines.get(0).matches("France\\s+0\\.327\\d"), lines.get(0));
        assertTrue(lines.get(1).matches("Paris\\s+0\\.193\\d"), lines.get(1));
        assertTrue(lines.get(4).startsWith("city"), lines.get(4));
    }

    @Test
    void aTextWithoutMaskIsBadInput() {
        TestData.mbertJar();
        Cli.Run r = Cli.run("fill-mask", "no mask here");
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        // the first use may convert mBERT and say so first
        assertTrue(r.err().strip().endsWith("xner: TEXT: no [MASK] in \"no mask here\""), r.err());
    }
}
