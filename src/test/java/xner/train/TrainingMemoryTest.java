package xner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.model.BertConfig;

class TrainingMemoryTest {
    /** BERT-base's shape with mBERT's vocabulary: 178 million weights. */
    static final BertConfig BASE = BertConfig.defaults("bert").withSizes(119_547, 768, 12, 12, 3072);
    static final long PARAMETERS = 177_860_000L;

    @Test
    void sizesParseAsTheJvmWritesThemAndNonsenseNamesTheOption() {
        assertEquals(8L << 30, TrainingMemory.parse("8g", "--max-memory").maxBytes());
        assertEquals(8L << 30, TrainingMemory.parse("8GB", "--max-memory").maxBytes());
        assertEquals(12_000L << 20, TrainingMemory.parse("12000m", "--max-memory").maxBytes());
        assertEquals(1_000_000L, TrainingMemory.parse("1000000", "--max-memory").maxBytes());
        XnerInputException e = assertThrows(XnerInputException.class, () -> TrainingMemory.parse("lots", "--max-memory"));
        assertEquals("--max-memory: \"lots\" is not an amount of memory (for example 8g or 12000m)", e.getMessage());
        assertThrows(XnerInputException.class, () -> TrainingMemory.parse("-2g", "--max-memory"));
    }

    @Test
    void theEstimateMatchesWhatWasMeasuredAndCutsLongBatchesIntoMicroBatches() {
        // measured on the Xeon: 24 × 256 peaked at about 13 GB; 24 × 512 was killed at 24 GB
        double at256 = TrainingMemory.estimate(BASE, PARAMETERS, 24, 256) / (double) (1L << 30);
        assertTrue(at256 > 12 && at256 < 14.5, "24 × 256: " + at256 + " GB");
        assertTrue(TrainingMemory.estimate(BASE, PARAMETERS, 24, 512) > 24L << 30);
        TrainingMemory eight = new TrainingMemory(8L << 30);
        assertEquals(24, Math.min(24, eight.rowsPerPass(BASE, PARAMETERS, 128)), "24 × 128, the usual batch, in one pass");
        int rows = eight.rowsPerPass(BASE, PARAMETERS, 512);
        assertTrue(rows >= 1 && rows < 24, rows + " rows of 512");
        assertTrue(TrainingMemory.estimate(BASE, PARAMETERS, rows, 512) <= 8L << 30);
        String said = eight.check(BASE, PARAMETERS, 24, 512);
        assertTrue(said.startsWith("memory: about ") && said.contains("the longest batch, 24 × 512 tokens, in ")
                && said.endsWith("within --max-memory 8.0 GB"), said);
        assertEquals(Integer.MAX_VALUE, TrainingMemory.UNLIMITED.rowsPerPass(BASE, PARAMETERS, 512));
    }

    @Test
    void aRunWhoseLongestSequenceCannotFitIsRefusedSayingWhatItNeeds() {
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> new TrainingMemory(4L << 30).check(BASE, PARAMETERS, 24, 512));
        assertTrue(e.getMessage().startsWith("training needs about 5."), e.getMessage());
        assertTrue(e.getMessage().contains("for one sequence of 512 tokens (the longest), more than --max-memory 4.0 GB"), e.getMessage());
    }

    @Test
    void theDefaultIsAtMostEightGigabytes() {
        assertTrue(TrainingMemory.machineDefault().maxBytes() <= TrainingMemory.DEFAULT_CEILING);
    }

    @Test
    void aStepWouldPassTheBudgetWhenWhatIsResidentAndItsLargestPassDoNotFitTogether() {
        TrainingMemory eight = new TrainingMemory(8L << 30);
        long pass128 = 24L * 128 * TrainingMemory.activationBytesPerToken(BASE, 128); // 24 x 128 goes in one pass
        assertFalse(eight.wouldPass((8L << 30) - pass128, BASE, PARAMETERS, 24, 128));
        assertTrue(eight.wouldPass((8L << 30) - pass128 + 1, BASE, PARAMETERS, 24, 128));
        int rows = eight.rowsPerPass(BASE, PARAMETERS, 512); // 24 x 512 in micro-batches: only one is held at a time
        long pass512 = (long) rows * 512 * TrainingMemory.activationBytesPerToken(BASE, 512);
        assertFalse(eight.wouldPass((8L << 30) - pass512, BASE, PARAMETERS, 24, 512));
        assertFalse(TrainingMemory.UNLIMITED.wouldPass(Long.MAX_VALUE / 2, BASE, PARAMETERS, 24, 512));
    }
}
