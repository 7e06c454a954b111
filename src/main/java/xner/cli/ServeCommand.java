package xner.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.infer.Aggregation;
import xner.infer.TagPipeline;
import xner.data.Offsets;
import xner.model.LocalModel;
import xner.model.ModelSource;
import xner.serve.Settings;
import xner.serve.TagServer;

/**
 * {@code xner serve}: the tagging service on HTTP, answering as the Hugging Face Inference API does for token
 * classification, with a page to try it at {@code /}: {@code bin/xner serve --model runs/de}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a fine-tuned model over HTTP, as the Hugging Face Inference API serves token classification:",
                "  POST / or /predict  {\"inputs\": \"text\" | [\"text\", ...], \"parameters\": {\"aggregation_strategy\": \"simple\"}}",
                "  GET /health         model, labels, texts waiting",
                "  GET /               a page: type a text, see its entities highlighted",
                "Concurrent requests are tagged together, a long one in slices that take turns with the others.",
                "Refusals are JSON errors: 400 not JSON, 401 no or wrong API key, 413 too large (--max-request-tokens and",
                "  the other limits), 415 not application/json, 422 a field at fault, 503 busy or stopping, 504 waited past",
                "  --request-timeout.",
                "SIGTERM or Ctrl-C: stop accepting, answer what was received (503 past --shutdown-timeout), then close."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin RuntimeOption runtime;
    @CommandLine.Mixin DeviceOption device;
    @CommandLine.Mixin PrecisionOption precisionOption;
    @CommandLine.Mixin PipelineOptions pipelineOptions;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A fine-tuned token classifier; GET /health names its source (the folder, or the hub id, revision "
                    + "and commit)." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                    + "interface: then give an --api-key).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--api-key", defaultValue = "${env:XNER_API_KEY}", paramLabel = "KEY",
            description = "Require \"Authorization: Bearer KEY\" on every request but the page's (default: the environment's "
                    + "XNER_API_KEY, which ps does not show; none when unset).")
    String apiKey;

    @Option(names = "--aggregation", defaultValue = "simple", paramLabel = "STRATEGY",
            description = "The strategy when a request names none: none, simple, first, average or max "
                    + "(default: ${DEFAULT-VALUE}, as the Inference API).")
    String aggregation;

    @Option(names = "--offsets", defaultValue = "utf-16", paramLabel = "UNIT",
            description = "What start and end count when a request does not say (parameters.offsets): utf-16 (default, "
                    + "Java's and JavaScript's string indices) or code-points (Python's).")
    String offsets;

    @Option(names = "--min-score", defaultValue = "0", paramLabel = "P",
            description = "Leave out entities scored below P when a request does not say (\"parameters\": {\"min_score\": P}); "
                    + "with a calibrated model a score means what it says (default: ${DEFAULT-VALUE}, keep all).")
    double minScore;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "N",
            description = "The largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-text-chars", defaultValue = "20000", paramLabel = "N",
            description = "The longest text, in characters (default: ${DEFAULT-VALUE}).")
    int maxTextChars;

    @Option(names = "--max-inputs", defaultValue = "64", paramLabel = "N",
            description = "The most texts in one request (default: ${DEFAULT-VALUE}).")
    int maxInputs;

    @Option(names = "--max-queue", defaultValue = "256", paramLabel = "N",
            description = "The most texts waiting for the model, those under way included, before requests are turned away "
                    + "with 503 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-request-tokens", defaultValue = "" + Settings.DEFAULT_MAX_REQUEST_TOKENS, paramLabel = "N",
            description = "The most model tokens one request may cost, over all its texts and windows: what bounds the model "
                    + "time one request takes; 413 beyond, before any model work (default: ${DEFAULT-VALUE}).")
    int maxRequestTokens;

    @Option(names = "--request-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long a request may wait for its answer: then it is dropped, its client gets 504, and "
                    + "GET /health says overloaded (503) (default: ${DEFAULT-VALUE}).")
    int requestTimeoutSeconds;

    @Option(names = "--shutdown-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "On SIGTERM or Ctrl-C, how long the requests received go on being tagged (503 for those still "
                    + "waiting then); the model then stops after its forward pass under way (default: ${DEFAULT-VALUE}).")
    int shutdownSeconds;

    /** The settings the options make, checked. */
    Settings settings() {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, pipelineOptions.options().batchSize(), maxRequestTokens,
                Duration.ofSeconds(requestTimeoutSeconds), Aggregation.parse(aggregation, "--aggregation"), Offsets.parse(offsets, "--offsets"),
                minScore, Duration.ofSeconds(shutdownSeconds), apiKey);
    }

    @Override
    public Integer call() {
        device.use(java.util.List.of(runtime.runtime()));
        precisionOption.use(java.util.List.of(runtime.runtime()));
        Settings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        LocalModel local = ModelArgument.fetch(model, err);
        TagPipeline pipeline = TagPipeline.load(local.folder(), pipelineOptions.options(),
                runtime.runtime());
        TagServer server = null;
        StopSignals signals = null;
        try {
            server = TagServer.start(pipeline, settings, local);
            TagServer started = server;
            // stopping answers what was received, then closes (said once, however it was asked for)
            AtomicBoolean stopping = new AtomicBoolean();
            Runnable stop = () -> {
                if (stopping.compareAndSet(false, true)) {
                    err.println("xner: stopping: answering the requests received (for up to " + shutdownSeconds + " s), then closing");
                    err.flush();
                }
                started.close();
            };
            // SIGTERM, Ctrl-C or the JVM's exit: the same stop; the command returns and the process exits 0 once every
            // request is answered and the model closed
            signals = StopSignals.install("xner-serve", stop);
            String warning = warning(settings);
            if (warning != null) err.println(warning);
            err.println("xner: serving " + local.describe() + " at " + server.uri() + "  (POST / or /predict, GET /health, the page at /; "
                    + "Ctrl-C stops)");
            err.flush();
            try {
                server.join();
            } catch (InterruptedException e) {
                // asked to stop (the flag is not set again: Jetty would not stop cleanly); the resources close below
            } finally {
                signals.close();
            }
        } finally {
            if (server != null) server.close(); // a no-op after the stop's
            // never free the model's native memory while a forward pass still runs in it: libtorch would crash
            if (server == null || server.modelStopped()) pipeline.close();
            if (signals != null) signals.finished();
        }
        return Xner.EXIT_OK;
    }

    /** The warning for a service that anyone on the network can use, or null. */
    static String warning(Settings settings) {
        if (settings.apiKey() != null || loopback(settings.host())) return null;
        return "xner: warning: listening on " + settings.host() + " without an API key: anyone who can reach this machine can "
                + "use the service (--api-key or XNER_API_KEY requires one)";
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
