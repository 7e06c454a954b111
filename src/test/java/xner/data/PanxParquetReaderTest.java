package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.PanxParquetFixture.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class PanxParquetReaderTest {
    @TempDir Path dir;
    private final PanxParquetReader reader = new PanxParquetReader();

    @Test
    void readsTokensAndTagNamesInRowOrderWithRowNumbers() {
        Path file = PanxParquetFixture.write(dir.resolve("train.parquet"), PanxParquetFixture.DE_TRAIN);

        List<Sentence> sentences = reader.read(file);

        assertEquals(5, sentences.size());
        Sentence first = sentences.get(0);
        assertEquals(List.of("als", "Teil", "der", "Savoyer", "Voralpen", "im", "Osten", "."), first.words());
        assertEquals(List.of("O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O"), first.tags());
        assertEquals(new Source(file, 1), first.source());
        assertEquals(List.of("O", "O", "B-PER", "I-PER", "O", "O"), sentences.get(2).tags());
        assertEquals("Salomé", sentences.get(2).words().get(3));
        assertEquals(List.of("B-ORG", "I-ORG"), sentences.get(3).tags().subList(22, 24));
        assertEquals(new Source(file, 5), sentences.get(4).source());
    }

    @Test
    void readsZstdLz4AndUncompressedFilesAlike() {
        for (CompressionCodecName codec : List.of(CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW, CompressionCodecName.UNCOMPRESSED)) {
            Path file = PanxParquetFixture.write(dir.resolve(codec + ".parquet"), PanxParquetFixture.DE_DEV, codec, LabelSet.PANX.names());
            List<Sentence> sentences = reader.read(file);
            assertEquals(List.of("B-PER", "I-PER", "I-PER", "I-PER", "O"), sentences.get(0).tags(), codec.name());
            assertEquals("Jehovas", sentences.get(1).words().get(4), codec.name());
        }
    }

    @Test
    void fileWithoutDatasetsMetadataIsReadInPanxLabelOrder() {
        Path file = PanxParquetFixture.write(dir.resolve("plain.parquet"), PanxParquetFixture.DE_DEV, CompressionCodecName.SNAPPY, null);
        assertEquals(List.of("B-PER", "I-PER", "I-PER", "I-PER", "O"), reader.read(file).get(0).tags());
    }

    @Test
    void tagIdOutsideTheLabelSetNamesFileAndRow() {
        List<Row> rows = List.of(PanxParquetFixture.DE_DEV.get(0), new Row(List.of("Bonn", "."), List.of(7L, 0L)));
        Path file = PanxParquetFixture.write(dir.resolve("bad-id.parquet"), rows);

        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));

        assertTrue(e.getMessage().startsWith(file + ":2: ner_tags[0] = 7 is not a PAN-X label id"), e.getMessage());
    }

    @Test
    void tokensAndTagsOfDifferentLengthsNameFileAndRow() {
        List<Row> rows = List.of(new Row(List.of("Bonn", "."), List.of(5L)));
        Path file = PanxParquetFixture.write(dir.resolve("short.parquet"), rows);

        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));

        assertEquals(file + ":1: row has 2 tokens but 1 ner_tags", e.getMessage());
    }

    @Test
    void labelNamesInTheFileMustBePanxInPanxOrder() {
        List<String> conll = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC");
        Path file = PanxParquetFixture.write(dir.resolve("conll.parquet"), PanxParquetFixture.DE_DEV, CompressionCodecName.SNAPPY, conll);

        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));

        assertTrue(e.getMessage().startsWith(file + ": ner_tags labels are [O, B-PER"), e.getMessage());
    }

    @Test
    void aFileThatIsNotParquetIsAnInputError() throws IOException {
        Path file = Files.writeString(dir.resolve("train.parquet"), "de:Bonn\tB-LOC\n");

        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));

        assertTrue(e.getMessage().startsWith(file + ": not a readable Parquet file"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnInputError() {
        Path file = dir.resolve("nowhere.parquet");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ": no such file", e.getMessage());
    }
}
