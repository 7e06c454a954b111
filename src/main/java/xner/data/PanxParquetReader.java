package xner.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import xner.XnerInputException;
import xner.io.StrictJson;

/**
 * A reader of one PAN-X split in the Parquet layout that the Hugging Face hub publishes for {@code google/xtreme},
 * config {@code PAN-X.<lang>} (e.g. {@code PAN-X.de/train-00000-of-00001.parquet}).
 *
 * <p>One row per sentence, columns as the dataset card's {@code dataset_info} declares them: {@code tokens}
 * (list of string), {@code ner_tags} (list of int64: {@code ClassLabel} ids in the order of {@link LabelSet#PANX})
 * and {@code langs} (list of string, not read). Lists may use the three-level layout that Arrow writes
 * ({@code group (LIST) { repeated group list { element } }}) or the older two-level one. When the file carries the
 * {@code huggingface} key-value metadata that {@code datasets} writes ({@code {"info": {"features": ...}}}), the
 * {@code ner_tags} label names in it must be PAN-X's, in PAN-X's order; otherwise the ids would map to wrong tags.
 *
 * <p>Each sentence's {@link Source} is the file and its row index + 1. Codecs: snappy (pyarrow's default, which
 * {@code datasets} keeps), zstd, lz4_raw and none; gzip and brotli need Hadoop's codec classes, which this build
 * leaves out, so such a file gets a clear error.
 */
public final class PanxParquetReader {
    private static final String TOKENS = "tokens";
    private static final String TAGS = "ner_tags";
    /** The codecs parquet-java implements itself, without Hadoop's codec classes. */
    private static final Set<CompressionCodecName> CODECS = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW);

    /** Reads every row of {@code file} as a sentence with tag names, in file order. */
    public List<Sentence> read(Path file) {
        if (!Files.isRegularFile(file)) throw new XnerInputException(file + ": no such file");
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            checkCodecs(file, reader.getFooter());
            FileMetaData meta = reader.getFooter().getFileMetaData();
            checkLabelNames(file, meta.getKeyValueMetaData());
            MessageType schema = meta.getSchema();
            MessageType projection = new MessageType(schema.getName(),
                    column(file, schema, TOKENS, PrimitiveTypeName.BINARY), column(file, schema, TAGS, PrimitiveTypeName.INT64));
            reader.setRequestedSchema(projection);

            List<Sentence> sentences = new ArrayList<>();
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                RecordReader<Group> rows = new ColumnIOFactory().getColumnIO(projection, schema)
                        .getRecordReader(rowGroup, new GroupRecordConverter(projection));
                for (long i = 0; i < rowGroup.getRowCount(); i++) {
                    sentences.add(sentence(new Source(file, sentences.size() + 1), rows.read()));
                }
            }
            return sentences;
        } catch (IOException | RuntimeException e) {
            if (e instanceof XnerInputException x) throw x;
            // parquet-java reports a truncated or foreign file with a bare RuntimeException ("... is not a Parquet file")
            throw new XnerInputException(file + ": not a readable Parquet file: " + e.getMessage(), e);
        }
    }

    private static Sentence sentence(Source source, Group row) {
        List<Object> tokens = list(source, row, TOKENS);
        List<Object> ids = list(source, row, TAGS);
        if (tokens.size() != ids.size()) {
            throw new XnerInputException(source.at("row has " + tokens.size() + " tokens but " + ids.size() + " ner_tags"));
        }
        List<String> words = new ArrayList<>(tokens.size());
        List<String> tags = new ArrayList<>(ids.size());
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == null) throw new XnerInputException(source.at("tokens[" + i + "] is null"));
            long id = ids.get(i) == null ? -1 : (Long) ids.get(i);
            if (id < 0 || id >= LabelSet.PANX.size()) {
                throw new XnerInputException(source.at("ner_tags[" + i + "] = " + ids.get(i) + " is not a PAN-X label id (0.."
                        + (LabelSet.PANX.size() - 1) + " for " + LabelSet.PANX.names() + ")"));
            }
            words.add((String) tokens.get(i));
            tags.add(LabelSet.PANX.name((int) id));
        }
        return new Sentence(words, tags, source);
    }

    /** The column {@code name}, checked to be a list of {@code expected} values (int32 is accepted for int64). */
    private static Type column(Path file, MessageType schema, String name, PrimitiveTypeName expected) {
        if (!schema.containsField(name)) {
            throw new XnerInputException(file + ": no column \"" + name + "\" (columns: "
                    + schema.getFields().stream().map(Type::getName).toList() + ")");
        }
        Type field = schema.getType(name);
        Type element = field;
        if (!field.isRepetition(Type.Repetition.REPEATED)) {
            element = field.isPrimitive() ? null : field.asGroupType().getType(0);
            if (element != null && !element.isPrimitive()) element = element.asGroupType().getType(0);
        }
        PrimitiveTypeName found = element == null || !element.isPrimitive() ? null : element.asPrimitiveType().getPrimitiveTypeName();
        if (found != expected && !(expected == PrimitiveTypeName.INT64 && found == PrimitiveTypeName.INT32)) {
            throw new XnerInputException(file + ": column \"" + name + "\" should be a list of " + expected + ", found " + field);
        }
        return field;
    }

    /**
     * The values of a list column in one row: strings or longs, null for a null element. Handles a bare repeated
     * field, the legacy two-level list and Arrow's three-level list (the layouts {@link #column} accepts).
     */
    private static List<Object> list(Source source, Group row, String name) {
        Type field = row.getType().getType(name);
        List<Object> values = new ArrayList<>();
        if (field.isRepetition(Type.Repetition.REPEATED)) {
            for (int i = 0; i < row.getFieldRepetitionCount(name); i++) values.add(value(row, name, i, field));
            return values;
        }
        if (row.getFieldRepetitionCount(name) == 0) throw new XnerInputException(source.at(name + " is null"));
        Group list = row.getGroup(name, 0);
        Type repeated = field.asGroupType().getType(0);
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
            if (repeated.isPrimitive()) { // two-level: the repeated field holds the values
                values.add(value(list, repeated.getName(), i, repeated));
            } else { // three-level: each repetition is a group holding one optional element
                Group item = list.getGroup(0, i);
                Type element = repeated.asGroupType().getType(0);
                values.add(item.getFieldRepetitionCount(0) == 0 ? null : value(item, element.getName(), 0, element));
            }
        }
        return values;
    }

    private static Object value(Group group, String field, int index, Type type) {
        return switch (type.asPrimitiveType().getPrimitiveTypeName()) {
            case INT64 -> group.getLong(field, index);
            case INT32 -> (long) group.getInteger(field, index);
            default -> group.getBinary(field, index).toStringUsingUTF8(); // BINARY: column() admits no other type
        };
    }

    private static void checkCodecs(Path file, ParquetMetadata footer) {
        for (BlockMetaData block : footer.getBlocks()) {
            for (ColumnChunkMetaData column : block.getColumns()) {
                if (!CODECS.contains(column.getCodec())) {
                    throw new XnerInputException(file + ": column " + column.getPath() + " is compressed with "
                            + column.getCodec() + "; readable codecs are " + CODECS);
                }
            }
        }
    }

    /** Checks the {@code ClassLabel} names that {@code datasets} stores in the file, when it stores them. */
    private static void checkLabelNames(Path file, Map<String, String> keyValues) {
        String json = keyValues.get("huggingface");
        if (json == null) return; // a file from another writer: ids are taken in PAN-X order
        JsonElement names;
        try {
            JsonElement features = StrictJson.parseObject(json, "the \"huggingface\" metadata").getAsJsonObject("info").get("features");
            names = features == null || !features.isJsonObject() ? null : findNames(features.getAsJsonObject().get(TAGS));
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new XnerInputException(file + ": unreadable \"huggingface\" metadata: " + e.getMessage(), e);
        }
        if (names == null) return;
        List<String> found = new ArrayList<>();
        names.getAsJsonArray().forEach(n -> found.add(n.getAsString()));
        if (!found.equals(LabelSet.PANX.names())) {
            throw new XnerInputException(file + ": ner_tags labels are " + found + ", expected PAN-X's " + LabelSet.PANX.names());
        }
    }

    /** The {@code names} of the {@code ClassLabel} inside a feature ({@code Sequence}/{@code List} of ClassLabel). */
    private static JsonElement findNames(JsonElement feature) {
        if (feature == null || !feature.isJsonObject()) return null;
        JsonObject object = feature.getAsJsonObject();
        if (object.has("names") && object.get("names").isJsonArray()) return object.get("names");
        return findNames(object.get("feature"));
    }
}
