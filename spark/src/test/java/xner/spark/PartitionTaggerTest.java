package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.infer.Aggregation;
import xner.infer.ModelRuntime;
import xner.infer.Outcome;
import xner.infer.TagPipeline;
import xner.infer.Tagged;

/** A chunk of a partition without Spark or a model: a stand-in batch that fails on texts marked BAD. */
class PartitionTaggerTest {
    static final PartitionTagger TAGGER = new PartitionTagger("unused", ModelRuntime.LIBTORCH, "fp32", TagPipeline.Options.DEFAULTS,
            Aggregation.FIRST, 1, 512);

    final List<List<String>> calls = new ArrayList<>();

    List<Tagged> batch(List<String> texts) {
        calls.add(List.copyOf(texts));
        for (String t : texts) if (t.contains("BAD")) throw new IllegalArgumentException("a lone surrogate at 4");
        return texts.stream().map(t -> new Tagged(t, List.of(), LabelSet.PANX)).toList();
    }

    static List<Row> rows(String... texts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) rows.add(RowFactory.create(i, texts[i]));
        return rows;
    }

    @Test
    void aRowThatFailsAloneFailsTheTaskNamingPartitionAndRow() {
        List<Row> chunk = rows("a", null, "b", "", "c BAD", "d", "e");
        List<Row> out = new ArrayList<>();
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> TAGGER.tagChunk(texts -> Outcome.each(texts, this::batch), chunk, 3, 1024, out));
        assertEquals("partition 3, row 1028 of the partition (0-based), column 1: tagging failed: a lone surrogate at 4", e.getMessage());
        assertTrue(calls.contains(List.of("c BAD")), "the bad row was tagged alone: " + calls);
        assertEquals(0, out.size(), "no row of the chunk given back");
    }

    @Test
    void theFirstFailingRowIsTheOneNamed() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> TAGGER.tagChunk(texts -> Outcome.each(texts, this::batch),
                rows("a", "BAD 1", "b", "BAD 2"), 0, 0, new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("partition 0, row 1 of"), e.getMessage());
    }

    @Test
    void aGoodChunkGivesEveryRowBackInOrderWithItsEntities() {
        List<Row> out = new ArrayList<>();
        TAGGER.tagChunk(texts -> Outcome.each(texts, this::batch), rows("a", null, "b"), 0, 0, out);
        assertEquals(List.of(0, 1, 2), out.stream().map(r -> r.getInt(0)).toList());
        assertEquals(3, out.get(0).length(), "the row's columns and its entities");
        assertEquals(List.of(List.of("a", "b")), calls, "the null text is not tagged; the others in one batch");
    }
}
