package xner.serve;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.infer.TagPipeline;
import xner.model.LocalModel;
import xner.model.ModelSource;

/**
 * The tagging service: the pipeline behind an HTTP API that answers as the Hugging Face Inference API does for
 * token classification, with a page to try it, on Jetty.
 *
 * <pre>
 *   try (TagPipeline pipeline = TagPipeline.load(Path.of("runs/de"));
 *        TagServer server = TagServer.start(pipeline, Settings.DEFAULTS)) {
 *       server.join();   // curl -d '{"inputs": "Jeff Dean ist in Zürich"}' http://127.0.0.1:8080/
 *   }
 * </pre>
 */
public final class TagServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TagServer.class);

    private final Server server;
    private final Batcher batcher;
    private final ServerConnector connector;
    private final Duration shutdownTimeout;
    private boolean closed;
    private volatile boolean modelStopped = true;

    /** A server over a stand-in model whose forward passes hold at most the pipeline's default padded tokens (tests). */
    TagServer(Batcher.Model stages, String model, String runtime, LabelSet labels, Settings settings) {
        this(stages, TagPipeline.DEFAULT_MAX_TOKENS, model, source(LocalModel.folder(Path.of(model))), runtime, labels, settings);
    }

    private TagServer(Batcher.Model stages, int maxTokensPerPass, String model, JsonObject source, String runtime, LabelSet labels,
            Settings settings) {
        this.batcher = new Batcher(stages, settings.maxQueue(), settings.maxBatch(), maxTokensPerPass, settings.maxRequestTokens(),
                settings.requestTimeout());
        this.shutdownTimeout = settings.shutdownTimeout();
        this.server = jetty(settings.host(), settings.port(),
                new TagHandler(batcher, settings, model, source, runtime, labels, page("index.html")));
        this.connector = (ServerConnector) server.getConnectors()[0];
        // the queue is tagged for shutdownTimeout, then the pipeline call under way gets as long again
        server.setStopTimeout(2 * shutdownTimeout.toMillis() + 1_000);
    }

    /**
     * The Jetty server of both pages ({@code serve}'s and {@code annotate}'s), not yet started: one connector on
     * {@code host:port}, daemon threads, JSON errors, no version headers, and {@code handler} behind a graceful
     * handler that counts the requests under way, so that stopping waits for their answers (a request arriving on
     * an open connection while the server stops gets a 503).
     */
    static Server jetty(String host, int port, org.eclipse.jetty.server.Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("xner-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new GracefulHandler(handler));
        return server;
    }

    /** The address {@code connector} answers at, with the port actually bound. */
    static URI uri(ServerConnector connector) {
        String host = connector.getHost();
        if (host.contains(":")) host = "[" + host + "]"; // an IPv6 literal
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** Starts serving {@code pipeline} (which the caller keeps and closes after the server). */
    public static TagServer start(TagPipeline pipeline, Settings settings) {
        return start(pipeline, settings, LocalModel.folder(pipeline.modelDir()));
    }

    /**
     * Starts serving {@code pipeline}, loaded from {@code model}: {@code GET /health} names the model (the folder's name,
     * or the hub id) and its source (the folder, or the hub id, revision and commit).
     */
    public static TagServer start(TagPipeline pipeline, Settings settings, LocalModel model) {
        return new TagServer(Batcher.Model.of(pipeline), pipeline.maxTokens(), model.name(), source(model), pipeline.runtime(),
                pipeline.labels(), settings).start();
    }

    /** Where the model came from, as {@code /health} says it: {@code type} folder or hub, and the particulars. */
    static JsonObject source(LocalModel model) {
        JsonObject o = new JsonObject();
        if (model.source() instanceof ModelSource.Hub hub) {
            o.addProperty("type", "hub");
            o.addProperty("id", hub.repo());
            o.addProperty("revision", hub.revision());
            o.addProperty("commit", model.commit());
            if (model.fromCache()) o.addProperty("from_cache", true); // the hub could not be reached at start
        } else {
            o.addProperty("type", "folder");
        }
        o.addProperty("path", model.folder().toAbsolutePath().normalize().toString());
        return o;
    }

    TagServer start() {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw new XnerInputException("cannot listen on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the HTTP server did not start: " + e, e);
        }
        return this;
    }

    /** The address the service answers at, with the port actually bound. */
    public URI uri() {
        return uri(connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Forward passes run so far (each serves one or more requests). */
    long passes() {
        return batcher.passes();
    }

    /**
     * Stops gracefully: no new connections are accepted, the requests received are answered (tagged for up to the
     * shutdown timeout, 503 for those still waiting then, and for a request arriving meanwhile on an open
     * connection), then the server closes. Safe to call from a shutdown hook and again; it throws nothing, and says
     * in one log line (no trace) when answers were cut short.
     */
    @Override
    public synchronized void close() {
        if (closed) return; // a second call (the hook, then try-with-resources) waits above for the first to finish
        closed = true;
        batcher.drain(shutdownTimeout);
        try {
            server.stop(); // Jetty: stop accepting, wait for the requests under way (GracefulHandler), close connections
        } catch (TimeoutException e) {
            LOG.warn("stopped after {} ms with requests still unanswered: their connections were closed", server.getStopTimeout());
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        } finally {
            // the model stops between two forward passes once the drain's time is up: this waits for one pass
            modelStopped = batcher.close(shutdownTimeout.plusSeconds(30));
            if (!modelStopped) {
                LOG.warn("the model is still in one forward pass 30 s after the shutdown timeout; its memory is left to the "
                        + "process's exit");
            }
        }
    }

    /**
     * After {@link #close()}: whether the model is no longer in use, so that its native memory may be freed. False only
     * when a single forward pass outlasted the shutdown timeout by 30 s: freeing the model under it would crash libtorch.
     */
    public boolean modelStopped() {
        return modelStopped;
    }

    /** A page of this package's resources ({@code index.html}, {@code annotate.html}). */
    static byte[] page(String name) {
        try (InputStream in = TagServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("xner/serve/" + name + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
