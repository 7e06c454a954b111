package xner.serve;

import java.time.Duration;
import xner.XnerInputException;
import xner.data.Offsets;
import xner.infer.Aggregation;

/**
 * How the service listens and what it accepts.
 *
 * @param host         the address to bind: 127.0.0.1 (this machine only) unless told otherwise
 * @param port         the TCP port; 0 for any free one
 * @param maxBodyBytes the largest request body (413 beyond)
 * @param maxTextChars the longest text, in UTF-16 characters (413 beyond); longer than a window is fine: texts are windowed
 * @param maxInputs    the most texts in one request (413 beyond)
 * @param maxQueue     the most texts waiting for the model, those under way included (503 beyond)
 * @param maxBatch     the most windows (texts, or parts of long ones) in one forward pass
 * @param maxRequestTokens the most model tokens one request may cost, over all its texts and windows (413 beyond,
 *                     before any model work): what bounds the model time one request takes
 * @param requestTimeout how long a request may wait for its answer: then it is dropped, its remaining windows are not
 *                     run, and its client gets 504
 * @param aggregation  the strategy when a request names none: simple, as the Hugging Face Inference API
 * @param offsets      what {@code start} and {@code end} count when a request does not say: UTF-16 units by default
 * @param minScore     entities scored below it are left out when a request does not say ({@code min_score}); 0 keeps all
 * @param shutdownTimeout how long a stopping service goes on tagging the requests it has received (503 for those
 *                     still waiting then); the model then stops after its forward pass under way
 * @param apiKey       the key every request but the page's must bear ({@code Authorization: Bearer KEY}), or null
 *                     for none: what a service reachable beyond this machine should have
 */
public record Settings(String host, int port, long maxBodyBytes, int maxTextChars, int maxInputs, int maxQueue, int maxBatch,
        int maxRequestTokens, Duration requestTimeout, Aggregation aggregation, Offsets offsets, double minScore, Duration shutdownTimeout,
        String apiKey) {
    /**
     * Model tokens per request when not told: one text of the longest default fits (20,000 characters of Dutch news:
     * 5,020 sub-tokens for multilingual BERT, 13 windows of 512 with their overlap, about 6,600 tokens). What it costs in model time, and what large requests cost the
     * others, {@code bench serve --big-clients} measures (docs/results/serve-fair/run.sh runs it).
     */
    public static final int DEFAULT_MAX_REQUEST_TOKENS = 8192;

    public static final Settings DEFAULTS = new Settings("127.0.0.1", 8080, 1 << 20, 20_000, 64, 256, 32,
            DEFAULT_MAX_REQUEST_TOKENS, Duration.ofSeconds(60), Aggregation.SIMPLE, Offsets.UTF_16, 0,
            Duration.ofSeconds(5), null);

    public Settings {
        if (host == null || host.isBlank()) throw new XnerInputException("--host must not be empty");
        if (port < 0 || port > 65535) throw new XnerInputException("--port must be 0..65535, was " + port);
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new XnerInputException("--max-body-bytes must be 1.." + (Integer.MAX_VALUE - 8) + ", was " + maxBodyBytes);
        }
        if (maxTextChars < 1) throw new XnerInputException("--max-text-chars must be >= 1, was " + maxTextChars);
        if (maxBatch < 1) throw new XnerInputException("--max-batch must be >= 1, was " + maxBatch);
        if (maxInputs < 1) throw new XnerInputException("--max-inputs must be >= 1, was " + maxInputs);
        if (maxQueue < maxInputs) {
            throw new XnerInputException("--max-queue (" + maxQueue + ") must hold at least one full request (--max-inputs "
                    + maxInputs + ")");
        }
        if (maxRequestTokens < 1) throw new XnerInputException("--max-request-tokens must be >= 1, was " + maxRequestTokens);
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new XnerInputException("--request-timeout must be more than 0 seconds, was " + requestTimeout);
        }
        if (!(minScore >= 0 && minScore <= 1)) throw new XnerInputException("--min-score must be between 0 and 1, was " + minScore);
        if (aggregation == null || offsets == null) throw new IllegalArgumentException("aggregation and offsets must be given");
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new XnerInputException("--shutdown-timeout must be 0 or more seconds, was " + shutdownTimeout);
        }
        if (apiKey != null && !apiKey.matches("[!-~]+")) {
            // it travels in a header: printable ASCII, no spaces (an empty XNER_API_KEY is a mistake, not "no key")
            throw new XnerInputException("--api-key (or XNER_API_KEY) must be printable ASCII without spaces, and not empty");
        }
    }

    /** As the record's, with the key left out: settings get logged, keys must not. */
    @Override
    public String toString() {
        return "Settings[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", maxTextChars=" + maxTextChars
                + ", maxInputs=" + maxInputs + ", maxQueue=" + maxQueue + ", maxBatch=" + maxBatch + ", maxRequestTokens="
                + maxRequestTokens + ", requestTimeout=" + requestTimeout + ", aggregation=" + aggregation
                + ", offsets=" + offsets + ", minScore=" + minScore + ", shutdownTimeout=" + shutdownTimeout + ", apiKey=" + (apiKey == null ? "none" : "(set)") + "]";
    }

    public Settings withAddress(String host, int port) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withLimits(long maxBodyBytes, int maxTextChars, int maxInputs, int maxQueue) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withRequestBudget(int maxRequestTokens, Duration requestTimeout) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withBatch(int maxBatch) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withAggregation(Aggregation aggregation) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withOffsets(Offsets offsets) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withShutdownTimeout(Duration shutdownTimeout) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withMinScore(double minScore) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }

    public Settings withApiKey(String apiKey) {
        return new Settings(host, port, maxBodyBytes, maxTextChars, maxInputs, maxQueue, maxBatch, maxRequestTokens, requestTimeout,
                aggregation, offsets, minScore, shutdownTimeout, apiKey);
    }
}
