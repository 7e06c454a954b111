package xner.infer;

import java.io.IOException;
import java.io.Writer;
import xner.data.InputRecord;

/** Writes tagged records to a file in one output format, in the order they are given. */
interface RecordWriter {
    /**
     * Writes {@code record} tagged as {@code tagged}.
     *
     * @throws xner.XnerInputException before writing anything, when the format cannot hold the record as it is
     */
    void write(InputRecord record, Tagged tagged) throws IOException;

    /**
     * The writer for {@code format} on {@code out}; JSON Lines leaves out entities scored below {@code minScore}, and
     * the {@code text} field unless {@code withText}.
     */
    static RecordWriter of(FileTagger.OutputFormat format, Writer out, Aggregation aggregation, double minScore,
            boolean withText) {
        return switch (format) {
            case JSONL -> new JsonlRecordWriter(out, aggregation, minScore, withText);
            case CONLL -> new ConllRecordWriter(out, aggregation);
        };
    }
}
