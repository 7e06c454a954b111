package xner.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The last step of {@code spark-tag --input-format documents}: each entity of a paged document (PDF) gets the
 * {@code page} it starts on (1-based; null for documents without pages, as {@code tag}'s JSON Lines leave it out),
 * and the {@code page_starts} column that gave it is dropped, so that the columns are {@code tag}'s:
 * {@code source, content_type, text, entities}.
 */
final class EntityPages implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final int pageStarts;
    private final int entities;
    private final int start; // of the entity struct: "start" of entitySchema or tokenSchema

    /** For rows of {@code schema}, which holds {@code page_starts} and the entities column {@code entitiesColumn}. */
    EntityPages(StructType schema, String entitiesColumn) {
        this.pageStarts = schema.fieldIndex("page_starts");
        this.entities = schema.fieldIndex(entitiesColumn);
        this.start = ((StructType) ((ArrayType) schema.apply(entitiesColumn).dataType()).elementType()).fieldIndex("start");
    }

    /** {@code schema} without {@code page_starts}, each entity with a nullable {@code page}. */
    static StructType schema(StructType schema, String entitiesColumn) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.name().equals("page_starts")) continue;
            if (f.name().equals(entitiesColumn)) {
                StructType element = (StructType) ((ArrayType) f.dataType()).elementType();
                f = DataTypes.createStructField(f.name(),
                        DataTypes.createArrayType(element.add("page", DataTypes.IntegerType, true), false), f.nullable());
            }
            fields.add(f);
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return withPages(rows.next());
            }
        };
    }

    private Row withPages(Row r) {
        List<Integer> starts = r.getList(pageStarts);
        List<Row> paged = new ArrayList<>();
        for (Row e : r.<Row>getList(entities)) {
            Object[] values = new Object[e.length() + 1];
            for (int i = 0; i < e.length(); i++) values[i] = e.get(i);
            values[e.length()] = starts.isEmpty() ? null : page(starts, e.getInt(start));
            paged.add(RowFactory.create(values));
        }
        List<Object> values = new ArrayList<>();
        for (int c = 0; c < r.length(); c++) {
            if (c == pageStarts) continue;
            values.add(c == entities ? (Seq<Row>) CollectionConverters.asScala(paged).toSeq() : r.get(c));
        }
        return RowFactory.create(values.toArray());
    }

    /** The 1-based page whose start is the last at or before {@code index} (the first page when none is). */
    static int page(List<Integer> starts, int index) {
        int found = Collections.binarySearch(starts, index);
        // a page starting exactly here (the last of equal starts: empty pages before it); else the one before the insertion point
        if (found >= 0) {
            while (found + 1 < starts.size() && starts.get(found + 1) == index) found++;
            return found + 1;
        }
        return Math.max(1, -found - 1);
    }
}
