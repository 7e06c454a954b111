package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

class LabelMappingTest {
    @TempDir Path dir;

    @Test
    void typesAreRenamedAndDroppedAndEntitiesRepaired() {
        LabelMapping m = LabelMapping.parse("PERderiv=O,PERSON=PER,B-ORGpart=B-ORG", null);
        assertEquals(List.of("B-PER", "I-PER", "O", "O", "B-ORG", "O"),
                m.apply(List.of("B-PERSON", "I-PERSON", "B-PERderiv", "I-PERderiv", "B-ORGpart", "O")));
    }

    @Test
    void keepTypesTurnsOthersToOAndRepairsIToB() {
        LabelMapping m = LabelMapping.parse(null, List.of("PER", "LOC"));
        // MISC dropped; the LOC after it stays B-; an I-LOC that followed a mapped-away B-MISC would start anew
        assertEquals(List.of("B-PER", "O", "O", "B-LOC", "I-LOC"),
                m.apply(List.of("B-PER", "B-MISC", "I-MISC", "B-LOC", "I-LOC")));
        LabelMapping rename = LabelMapping.parse("B-MISC=B-LOC,I-MISC=O", null);
        assertEquals(List.of("B-LOC", "O", "B-LOC"), rename.apply(List.of("B-MISC", "I-MISC", "I-LOC")));
    }

    @Test
    void aMappingFileWithComments() throws IOException {
        Path file = Files.writeString(dir.resolve("map.txt"), "# GermEval to PAN-X\nPERderiv=O\nLOCpart\tLOC\n");
        LabelMapping m = LabelMapping.parse(file.toString(), null);
        assertEquals(List.of("O", "B-LOC"), m.apply(List.of("B-PERderiv", "B-LOCpart")));
    }

    @Test
    void badMappingsAreRefused() throws IOException {
        assertEquals("--map-labels: expected FROM=TO (a type or tag, and O, a type or a tag), found \"PER\"",
                assertThrows(XnerInputException.class, () -> LabelMapping.parse("PER,LOC=O", null)).getMessage());
        assertEquals("--map-labels: \"PER\" is mapped twice",
                assertThrows(XnerInputException.class, () -> LabelMapping.parse("PER=O,PER=LOC", null)).getMessage());
        Path file = Files.writeString(dir.resolve("bad.map"), "PER=O\nLOC\n");
        assertEquals(file + ":2: expected FROM=TO (a type or tag, and O, a type or a tag), found \"LOC\"",
                assertThrows(XnerInputException.class, () -> LabelMapping.parse(file.toString(), null)).getMessage());
        assertEquals("--keep-types: expected entity types such as PER, found the tag \"B-PER\"",
                assertThrows(XnerInputException.class, () -> LabelMapping.parse(null, List.of("B-PER"))).getMessage());
    }

    @Test
    void labelSetFromDataPutsPanxTypesFirstThenTheRestByName() {
        Source s = new Source(Path.of("f"), 1);
        List<Sentence> data = List.of(new Sentence(List.of("a", "b", "c", "d"), List.of("B-MISC", "B-LOC", "B-DATE", "B-PER"), s));
        assertEquals(List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-DATE", "I-DATE", "B-MISC", "I-MISC"),
                LabelSet.fromData(data).names());
    }
}
