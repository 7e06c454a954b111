package xner.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.jdk.javaapi.CollectionConverters;
import xner.XnerInputException;
import xner.data.DocumentExtractor;

/**
 * What an executor runs for one partition of {@code spark-tag --input-format documents}: the rows of Spark's
 * {@code binaryFile} source ({@code path}, {@code modificationTime}, {@code length}, {@code content}) become rows of
 * {@link #schema} ({@code source}, {@code content_type}, {@code text}, {@code page_starts}), the text extracted on the
 * executor by the {@link DocumentExtractor} on its class path (the module {@code documents/}, Apache Tika).
 *
 * <p>A document that cannot be read (empty, encrypted, corrupt, a zip bomb, without text, past a limit) is left out:
 * one line naming it on the executor's standard error, {@code xner: PATH: reason; skipped}, and one more in
 * {@code skipped}, which the driver reports; the job goes on.
 */
final class DocumentTexts implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final int maxChars;
    private final long timeoutSeconds;
    private final LongAccumulator skipped;

    DocumentTexts(DocumentExtractor.Limits limits, LongAccumulator skipped) {
        this.maxChars = limits.maxChars();
        this.timeoutSeconds = limits.timeout().toSeconds();
        this.skipped = skipped;
    }

    /** The rows this function gives. */
    static StructType schema() {
        return new StructType()
                .add("source", DataTypes.StringType, false)
                .add("content_type", DataTypes.StringType, false)
                .add("text", DataTypes.StringType, false)
                .add("page_starts", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        DocumentExtractor extractor = DocumentExtractor.require();
        DocumentExtractor.Limits limits = new DocumentExtractor.Limits(maxChars, java.time.Duration.ofSeconds(timeoutSeconds));
        return new Iterator<>() {
            Row next;

            @Override
            public boolean hasNext() {
                while (next == null && files.hasNext()) next = extract(extractor, limits, files.next());
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    /** The document's row, or null (reported and counted) when it cannot be read. */
    private Row extract(DocumentExtractor extractor, DocumentExtractor.Limits limits, Row file) {
        String path = file.getString(file.fieldIndex("path"));
        byte[] content = file.getAs("content");
        String reason;
        try {
            if (content.length == 0) {
                reason = "empty file (0 bytes)";
            } else {
                DocumentExtractor.Extracted d = extractor.extract(new ByteArrayInputStream(content), limits);
                if (!d.text().isBlank()) {
                    List<Integer> pages = new ArrayList<>(d.pageStarts());
                    return RowFactory.create(path, d.contentType(), d.text(), CollectionConverters.asScala(pages).toSeq());
                }
                reason = d.pageStarts().isEmpty() ? "no text to tag (" + d.contentType() + ")"
                        : "no text in its " + d.pageStarts().size() + " page(s) (" + d.contentType()
                                + "): an image-only PDF, without a text layer? Run OCR on it first";
            }
        } catch (XnerInputException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = "cannot be read: " + e;
        }
        System.err.println("xner: " + path + ": " + reason + "; skipped");
        skipped.add(1);
        return null;
    }
}
