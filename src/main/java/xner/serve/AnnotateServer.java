package xner.serve;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xner.XnerInputException;
import xner.data.WordCutter;
import xner.serve.AnnotationBatch.Span;

/**
 * The correction page: a batch's texts shown one at a time with their entities, to accept, correct, reject or skip,
 * each decision appended to a {@link DecisionLog} before the page moves on. Runs on {@code serve}'s Jetty setup.
 *
 * <pre>
 *   AnnotationBatch batch = AnnotationBatch.read(Path.of("batch.jsonl"), true, List.of("PER", "ORG", "LOC"), words);
 *   try (DecisionLog log = DecisionLog.open(Path.of("annotated.jsonl"), batch, err);
 *        AnnotateServer server = AnnotateServer.start(batch, log, words, null, "127.0.0.1", 8080)) {
 *       server.join();   // http://127.0.0.1:8080/
 *   }
 * </pre>
 */
public final class AnnotateServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnnotateServer.class);

    private final Server server;
    private final ServerConnector connector;
    private boolean closed;

    private AnnotateServer(Server server) {
        this.server = server;
        this.connector = (ServerConnector) server.getConnectors()[0];
    }

    /**
     * Starts the page for {@code batch}, its decisions going to {@code log} (both the caller's, closed after this).
     *
     * @param words        how texts are cut into words: selections snap to them
     * @param preAnnotator the model's entities for a text the batch gives none for; null: none
     */
    public static AnnotateServer start(AnnotationBatch batch, DecisionLog log, WordCutter words,
            Function<String, List<Span>> preAnnotator, String host, int port) {
        Server server = TagServer.jetty(host, port,
                new AnnotateHandler(batch, log, words, preAnnotator, TagServer.page("annotate.html")));
        server.setStopTimeout(30_000); // a decision under way is a write and a flush to the disk
        AnnotateServer started = new AnnotateServer(server);
        try {
            server.start();
        } catch (IOException e) {
            started.close();
            throw new XnerInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("the HTTP server did not start: " + e, e);
        }
        return started;
    }

    /** The address of the page, with the port actually bound. */
    public URI uri() {
        return TagServer.uri(connector);
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops: no new connections, the decisions under way are written and answered, then the server closes. Safe to call
     * from a signal handler and again.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            server.stop();
        } catch (TimeoutException e) {
            LOG.warn("stopped after {} ms with requests still unanswered: their connections were closed", server.getStopTimeout());
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
    }
}
