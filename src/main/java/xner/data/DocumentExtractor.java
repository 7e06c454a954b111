package xner.data;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import xner.XnerInputException;

/**
 * The text of a document (PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG, plain text), its type detected from its content.
 * A seam: the implementation, on Apache Tika, lives in the module {@code documents/}, so that the core jar carries
 * none of Tika's parsers; {@link #find()} loads it with {@link ServiceLoader} when its jars are on the class path.
 *
 * <pre>
 *   DocumentExtractor extractor = DocumentExtractor.require();
 *   DocumentExtractor.Extracted d = extractor.extract(in, DocumentExtractor.Limits.DEFAULT);
 *   d.text();  d.pageStarts();
 * </pre>
 */
public interface DocumentExtractor {
    /** The formats, in words, for help texts and messages. */
    String FORMATS = "PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG, plain text";

    /** What to do to get the module, in one sentence: the message when it is missing. */
    String HOW_TO_GET = "documents (" + FORMATS + ") need the module documents/ on the class path: bin/xner builds it once "
            + "and adds it when --input is a folder or a document; by hand: mvn -q install -DskipTests && mvn -q -f "
            + "documents/pom.xml package -DskipTests, then run xner.cli.Xner with documents/target/xner-documents.jar and "
            + "documents/target/lib/* as its class path";

    /**
     * The limits a document is extracted under; a document that reaches one is refused, naming it.
     *
     * @param maxChars characters of text at most (the text is held whole, in memory, while its windows are tagged)
     * @param timeout  time to extract it, at most
     */
    record Limits(int maxChars, Duration timeout) {
        /** 10 million characters (about 3,000 dense pages, 20 MB as a Java string), two minutes. */
        public static final Limits DEFAULT = new Limits(10_000_000, Duration.ofMinutes(2));

        public Limits {
            if (maxChars < 1) throw new XnerInputException("the character limit must be >= 1, was " + maxChars);
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new XnerInputException("the time limit must be positive, was " + timeout);
            }
        }
    }

    /**
     * A document's text.
     *
     * @param contentType the media type detected from the content, without parameters ({@code application/pdf})
     * @param text        the text, paragraphs on lines of their own
     * @param pageStarts  for paged formats (PDF) the UTF-16 index where each page starts in {@code text}; else empty
     */
    record Extracted(String contentType, String text, List<Integer> pageStarts) {
        public Extracted {
            if (contentType == null || text == null) throw new IllegalArgumentException("contentType and text must not be null");
            pageStarts = List.copyOf(pageStarts);
        }
    }

    /**
     * Extracts the text of one document read from {@code in} (which the caller closes).
     *
     * @throws XnerInputException the document cannot be read, with what is wrong in words and without the file's
     *                            name (the caller adds it): encrypted, corrupt or truncated, a zip bomb, past a limit,
     *                            no text (an image-only PDF)
     * @throws IOException        reading {@code in} failed
     */
    Extracted extract(InputStream in, Limits limits) throws IOException;

    /** The extractor on the class path, if any. */
    static Optional<DocumentExtractor> find() {
        return ServiceLoader.load(DocumentExtractor.class).findFirst();
    }

    /** The extractor on the class path, or an {@link XnerInputException} that says how to get it. */
    static DocumentExtractor require() {
        return find().orElseThrow(() -> new XnerInputException(HOW_TO_GET));
    }
}
