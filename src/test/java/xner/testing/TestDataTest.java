package xner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class TestDataTest {
    @Test
    void mbertVocabHasAllEntries() throws Exception {
        var lines = Files.readAllLines(TestData.mbertVocab());
        assertEquals(119_547, lines.size());
        assertEquals("[CLS]", lines.get(101));
    }
}
