package xner.data;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small PAN-X Parquet files shaped as the hub's: Arrow's three-level lists, int64 tag ids, and the
 * {@code huggingface} metadata that {@code datasets} writes.
 */
final class PanxParquetFixture {
    private PanxParquetFixture() {}

    /** The schema pyarrow writes for {@code Sequence(Value("string"))} / {@code Sequence(ClassLabel)} columns. */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message schema {
              optional group tokens (LIST) { repeated group list { optional binary element (STRING); } }
              optional group ner_tags (LIST) { repeated group list { optional int64 element; } }
              optional group langs (LIST) { repeated group list { optional binary element (STRING); } }
            }""");

    /** One row: words and {@code ClassLabel} ids (0 O, 1 B-PER, 2 I-PER, 3 B-ORG, 4 I-ORG, 5 B-LOC, 6 I-LOC). */
    record Row(List<String> tokens, List<Long> tags) {}

    /** The first five sentences of PAN-X de train (XTREME's copy, the hub's row order). */
    static final List<Row> DE_TRAIN = List.of(
            new Row(List.of("als", "Teil", "der", "Savoyer", "Voralpen", "im", "Osten", "."),
                    List.of(0L, 0L, 0L, 5L, 6L, 0L, 0L, 0L)),
            new Row(List.of("WEITERLEITUNG", "Antonina", "Wladimirowna", "Kriwoschapka"), List.of(0L, 1L, 2L, 2L)),
            new Row(List.of("**", "''", "Lou", "Salomé", "''", "."), List.of(0L, 0L, 1L, 2L, 0L, 0L)),
            new Row(List.of("Spieler", "vom", "SKA", "Sankt", "Petersburg", "ausgewählt", "sowie", "anschließend", "im",
                    "NHL", "Entry", "Draft", "in", "der", "ersten", "Runde", "als", "insgesamt", "zehnter", "Spieler",
                    "von", "den", "Minnesota", "Wild", "."),
                    List.of(0L, 0L, 3L, 4L, 4L, 0L, 0L, 0L, 0L, 3L, 4L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 3L, 4L, 0L)),
            new Row(List.of("Jaan", "Kirsipuu", "74", "P", "."), List.of(1L, 2L, 0L, 0L, 0L)));

    /** The first two sentences of PAN-X de dev. */
    static final List<Row> DE_DEV = List.of(
            new Row(List.of("Anton", "Wilhelm", "von", "Zuccalmaglio", "."), List.of(1L, 2L, 2L, 2L, 0L)),
            new Row(List.of("Hinzu", "kommen", "die", "Zeugen", "Jehovas", "und", "zahlreiche", "andere", "Gruppen", "."),
                    List.of(0L, 0L, 0L, 3L, 4L, 0L, 0L, 0L, 0L, 0L)));

    /** Writes {@code rows} with snappy and the {@code huggingface} metadata naming PAN-X's labels. */
    static Path write(Path file, List<Row> rows) {
        return write(file, rows, CompressionCodecName.SNAPPY, LabelSet.PANX.names());
    }

    /** Writes {@code rows}; {@code labelNames} null leaves out the {@code huggingface} metadata. */
    static Path write(Path file, List<Row> rows, CompressionCodecName codec, List<String> labelNames) {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        ExampleParquetWriter.Builder builder = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(SCHEMA).withCompressionCodec(codec).withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
        if (labelNames != null) builder = builder.withExtraMetaData(Map.of("huggingface", datasetsMetadata(labelNames)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (ParquetWriter<Group> writer = builder.build()) {
                for (Row row : rows) {
                    Group group = groups.newGroup();
                    Group tokens = group.addGroup("tokens");
                    row.tokens().forEach(token -> tokens.addGroup("list").append("element", token));
                    Group tags = group.addGroup("ner_tags");
                    row.tags().forEach(tag -> tags.addGroup("list").append("element", tag));
                    Group langs = group.addGroup("langs");
                    row.tokens().forEach(token -> langs.addGroup("list").append("element", "de"));
                    writer.write(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The key-value metadata {@code datasets} stores: its features, as {@code Features.to_dict()} gives them. */
    private static String datasetsMetadata(List<String> labelNames) {
        String names = labelNames.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
        String string = "{\"feature\": {\"dtype\": \"string\", \"_type\": \"Value\"}, \"_type\": \"Sequence\"}";
        return "{\"info\": {\"features\": {\"tokens\": " + string
                + ", \"ner_tags\": {\"feature\": {\"names\": [" + names + "], \"_type\": \"ClassLabel\"}, \"_type\": \"Sequence\"}"
                + ", \"langs\": " + string + "}}}";
    }
}
