package xner.documents;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.SAXException;
import xner.XnerInputException;
import xner.data.DocumentExtractor;

/**
 * A document's text by Apache Tika: the type detected from the content (never from a name: none is given to
 * Tika), the parser for that type, the body's text with the start of each PDF page.
 *
 * <p>Limits, each named when a document reaches it: the characters of text ({@link WriteOutContentHandler}'s write
 * limit); the time (a deadline checked at every SAX event, and a worker thread given up when a parser hangs without
 * any); Tika's zip-bomb guard, {@code SecureContentHandler}, which {@link AutoDetectParser} puts around the handler
 * (text more than {@value #MAX_COMPRESSION_RATIO} times the bytes read, once past {@value #OUTPUT_THRESHOLD}
 * characters; embedded documents nested deeper than {@value #MAX_PACKAGE_DEPTH}); and POI's own check of a zip's
 * entries (an entry inflating more than 100 times is refused as a zip bomb). Embedded documents (an e-mail's
 * attachments, a zip's files) are parsed too, under the same limits.
 */
public final class TikaExtractor implements DocumentExtractor {
    static final long OUTPUT_THRESHOLD = 1_000_000;
    static final long MAX_COMPRESSION_RATIO = 100;
    static final int MAX_PACKAGE_DEPTH = 10;

    // parsing runs on a worker so that a parser stuck without emitting text can be given up; daemon threads, so that
    // one given up cannot keep the JVM alive
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "xner-document");
        t.setDaemon(true);
        return t;
    });

    private final AutoDetectParser parser;

    /** The constructor {@link java.util.ServiceLoader} calls. */
    public TikaExtractor() {
        AutoDetectParserConfig config = new AutoDetectParserConfig();
        config.setOutputThreshold(OUTPUT_THRESHOLD);
        config.setMaximumCompressionRatio(MAX_COMPRESSION_RATIO);
        config.setMaximumPackageEntryDepth(MAX_PACKAGE_DEPTH);
        parser = new AutoDetectParser();
        parser.setAutoDetectParserConfig(config);
    }

    @Override
    public Extracted extract(InputStream in, Limits limits) {
        long timeoutNanos = limits.timeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        Metadata metadata = new Metadata();
        Future<Extracted> parsing = WORKERS.submit(() -> parse(in, limits, deadline, metadata));
        try {
            // a little beyond the deadline, which the handler enforces itself while text flows
            return parsing.get(timeoutNanos + TimeUnit.SECONDS.toNanos(2), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            parsing.cancel(true);
            throw new XnerInputException(timeLimit(limits, metadata));
        } catch (InterruptedException e) {
            parsing.cancel(true);
            Thread.currentThread().interrupt();
            throw new XnerInputException("interrupted while its text was extracted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof ParseFailure f ? f.getCause() : e.getCause();
            throw new XnerInputException(reason(cause, limits, metadata));
        }
    }

    /** Whatever a parser threw, errors included (a stack overflow in a corrupt file's parse tree must not end the run). */
    private static final class ParseFailure extends Exception {
        ParseFailure(Throwable cause) {
            super(cause);
        }
    }

    private Extracted parse(InputStream in, Limits limits, long deadline, Metadata metadata) throws ParseFailure {
        PageText pages = new PageText(deadline);
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser); // embedded documents are parsed with the same parser and limits
        try {
            // BodyContentHandler keeps the body (not the title and metadata of <head>); WriteOutContentHandler counts
            // its characters and stops the parse at the limit
            parser.parse(TikaInputStream.get(in), new BodyContentHandler(new WriteOutContentHandler(pages, limits.maxChars())),
                    metadata, context);
        } catch (IOException | SAXException | TikaException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new ParseFailure(e);
        }
        return new Extracted(contentType(metadata), pages.text(), pages.pageStarts());
    }

    /** What is wrong, in words, from what the parse threw. */
    static String reason(Throwable e, Limits limits, Metadata metadata) {
        String type = contentType(metadata);
        if (WriteLimitReachedException.isWriteLimitReached(e)) {
            return String.format(Locale.ROOT, "more than %,d characters of text (%s): the limit, --max-document-chars",
                    limits.maxChars(), type);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PageText.DeadlinePassed) return timeLimit(limits, metadata);
            if (t instanceof EncryptedDocumentException || t instanceof org.apache.poi.EncryptedDocumentException
                    || t.getClass().getSimpleName().equals("InvalidPasswordException")) {
                return "encrypted (" + type + "): it needs a password";
            }
            if (t instanceof ZeroByteFileException) return "empty file (0 bytes)";
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("zip bomb")) return "a zip bomb (" + type + "): " + firstLine(t);
            if (t instanceof TikaMemoryLimitException) return "past Tika's memory limit (" + type + "): " + firstLine(t);
            if (t instanceof OutOfMemoryError) return "ran out of memory while its text was extracted (" + type + ")";
            if (t instanceof StackOverflowError) return "corrupt (" + type + "): nested too deeply to parse";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return "corrupt or truncated (" + type + "): " + firstLine(root);
    }

    private static String timeLimit(Limits limits, Metadata metadata) {
        Duration t = limits.timeout();
        String limit = t.toMillisPart() == 0 && t.toSeconds() > 0 ? t.toSeconds() + " s" : t.toMillis() + " ms";
        return "took more than " + limit + " to extract (" + contentType(metadata)
                + "): the limit, --document-timeout";
    }

    /** The detected type without its parameters ({@code text/plain}, not {@code text/plain; charset=UTF-8}). */
    static String contentType(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        if (type == null) return "type not detected";
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        int newline = m.indexOf('\n');
        return (newline < 0 ? m : m.substring(0, newline)).trim();
    }
}
