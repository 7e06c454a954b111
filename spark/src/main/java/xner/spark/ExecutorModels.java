package xner.spark;

import ai.djl.pytorch.jni.JniUtils;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import xner.XnerInputException;
import xner.infer.ModelRuntime;
import xner.infer.TagPipeline;
import xner.model.Precision;
import xner.model.TokenClassifier;

/**
 * The pipelines loaded in this JVM, one per model folder and options: an executor loads a model once, when its
 * first task needs it, and every later task of the executor shares it ({@link TagPipeline} is safe for
 * concurrent calls). Kept until the JVM exits, as executors live for the application.
 *
 * <p>Before the first load the DJL settings {@code bin/xner} gives the CLI are set here too (offline, no
 * tracking), because an executor's JVM is Spark's, not ours; libtorch's intra-op threads follow
 * {@code spark.task.cpus}, so that N concurrent tasks of an N-core executor use N cores, not N² (ONNX Runtime's
 * threads too; on ONNX Runtime libtorch is never loaded).
 */
final class ExecutorModels {
    private record Key(Path dir, ModelRuntime runtime, Precision precision, TagPipeline.Options options) {}

    private static final Map<Key, TagPipeline> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The pipeline of the model folder {@code path} (a local path or a {@code file:} URI; a relative path is
     * resolved in the executor's working directory, where {@code --archives} unpacks), loaded on first use.
     *
     * @param threads libtorch intra-op threads for this JVM ({@code spark.task.cpus}); 0 leaves them as they are
     * @throws XnerInputException naming this host and the path when the folder cannot be read or loaded
     */
    static TagPipeline pipeline(String path, ModelRuntime runtime, String precision, TagPipeline.Options options,
            int threads) {
        Path dir = resolve(path);
        if (threads > 0) {
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
            setIfAbsent("xner.onnx.num_threads", Integer.toString(threads));
        }
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        Precision p;
        try {
            // ONNX Runtime runs a file's own types: the precision is libtorch's
            p = runtime == ModelRuntime.LIBTORCH ? Precision.parse(precision, "precision") : Precision.FP32;
        } catch (XnerInputException e) {
            throw new XnerInputException("host " + host() + ": " + e.getMessage(), e);
        }
        TagPipeline pipeline = LOADED.computeIfAbsent(new Key(dir, runtime, p, options), k -> load(path, k));
        // the engine may have started before this task (another model, the driver in local mode): set them now
        if (runtime == ModelRuntime.LIBTORCH && threads > 0 && JniUtils.getNumThreads() != threads) JniUtils.setNumThreads(threads);
        return pipeline;
    }

    private static TagPipeline load(String path, Key key) {
        Path dir = key.dir();
        if (!Files.isDirectory(dir)) {
            throw new XnerInputException("host " + host() + ": model folder " + path + " (" + dir + ") does not exist or is not "
                    + "readable; it must be on every executor (a shared file system, or spark-submit --archives)");
        }
        if (!Files.isReadable(dir.resolve("config.json"))) {
            throw new XnerInputException("host " + host() + ": " + dir + " has no readable config.json: not a model folder");
        }
        try {
            if (key.runtime() != ModelRuntime.LIBTORCH) return TagPipeline.load(dir, key.options(), key.runtime());
            TokenClassifier model = TokenClassifier.load(dir);
            model.parameters().usePrecision(key.precision());
            return TagPipeline.create(dir, model, key.options());
        } catch (RuntimeException e) {
            throw new XnerInputException("host " + host() + ": cannot load the model " + dir + ": " + e.getMessage(), e);
        }
    }

    static Path resolve(String path) {
        if (path.startsWith("file:")) return Path.of(URI.create(path)).toAbsolutePath();
        return Path.of(path).toAbsolutePath();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    /** How many pipelines this JVM holds: for tests that check a model is loaded once. */
    static int loaded() {
        return LOADED.size();
    }
}
