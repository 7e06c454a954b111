package xner.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.model.BertConfig;
import xner.model.LogitsModel;
import xner.model.ModelDirectory;

/**
 * A token classifier run by ONNX Runtime from an exported {@code model.onnx} (or {@code model_quantized.onnx}),
 * with {@code config.json} beside it for the labels. Loads no libtorch: a folder of the ONNX file, the config and
 * the tokenizer files tags and serves alone.
 *
 * <pre>
 *   try (OnnxTokenClassifier model = OnnxTokenClassifier.load(Path.of("runs/de-onnx"), null)) {
 *       float[] logits = model.logits(1, 3, new long[] {101, 17218, 102}, new long[] {1, 1, 1}); // (1, 3, labels)
 *   }
 * </pre>
 *
 * <p>A file xner exported runs in ONNX Runtime's fused operators ({@link OnnxRuntimeForm}: MultiHeadAttention,
 * SkipLayerNormalization, EmbedLayerNormalization, BiasGelu; DynamicQuantizeMatMul for int8), built from the file's
 * weights as it loads; the file stays in standard operators.
 * {@code -Dxner.onnx.fuse=false} (in {@code XNER_JAVA_OPTS}) runs it as stored instead, and {@link #form()} says which.
 *
 * <p>The file is checked when it loads: it must read as ONNX, take {@code input_ids} and {@code attention_mask}
 * (and {@code token_type_ids}, when it has that input), and answer {@code logits} of (batch, sequence, the
 * config's label count) on a probe of two tokens; each failure is one line naming the file.
 */
public final class OnnxTokenClassifier implements LogitsModel {
    public static final String FP32_FILE = "model.onnx";
    public static final String INT8_FILE = "model_quantized.onnx";
    /** Intra-op threads when {@code xner.onnx.num_threads} is not set: two, as for libtorch on these machines. */
    static final int DEFAULT_THREADS = 2;

    private static final Set<String> REQUIRED_INPUTS = Set.of("input_ids", "attention_mask");
    private static final String TOKEN_TYPES = "token_type_ids";

    private final Path file;
    private final BertConfig config;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final String form;

    private OnnxTokenClassifier(Path file, BertConfig config, OrtEnvironment environment, OrtSession session, String form) {
        this.file = file;
        this.config = config;
        this.environment = environment;
        this.session = session;
        this.takesTokenTypes = session.getInputNames().contains(TOKEN_TYPES);
        this.form = form;
    }

    /**
     * The ONNX model of folder {@code dir}: {@code fileName} there, or when null {@value #FP32_FILE}, else
     * {@value #INT8_FILE} when that is the only one.
     */
    public static OnnxTokenClassifier load(Path dir, String fileName) {
        return load(dir, fileName, threads());
    }

    /** As {@link #load(Path, String)} with {@code threads} intra-op threads. */
    public static OnnxTokenClassifier load(Path dir, String fileName, int threads) {
        return load(dir, fileName, threads, fuses());
    }

    /**
     * As {@link #load(Path, String, int)}; {@code fuse} false runs the file as stored. The session is made on a thread
     * with a {@value #LOAD_STACK_MB} MB stack: ONNX Runtime's session creation can need more than a JVM thread's
     * default 1 MB (seen on the main thread of a JVM with a long class path), and overflowing it kills the process with
     * SIGSEGV and no report.
     */
    static OnnxTokenClassifier load(Path dir, String fileName, int threads, boolean fuse) {
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread loader = new Thread(null, () -> {
            try {
                outcome.set(loadHere(dir, fileName, threads, fuse));
            } catch (RuntimeException | Error e) {
                outcome.set(e);
            }
        }, "xner-onnx-load", LOAD_STACK_MB << 20);
        loader.start();
        boolean interrupted = false;
        while (loader.isAlive()) {
            try {
                loader.join();
            } catch (InterruptedException e) {
                interrupted = true; // the session is being made in native code: wait for it, then say so
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (outcome.get() instanceof RuntimeException e) throw e;
        if (outcome.get() instanceof Error e) throw e;
        return (OnnxTokenClassifier) outcome.get();
    }

    private static final long LOAD_STACK_MB = 16;

    private static OnnxTokenClassifier loadHere(Path dir, String fileName, int threads, boolean fuse) {
        Path file = file(dir, fileName);
        BertConfig config = ModelDirectory.readConfig(dir);
        if (config.id2label().isEmpty()) {
            throw new XnerInputException(dir.resolve(ModelDirectory.CONFIG)
                    + ": no id2label: this is not a token-classification model (fine-tune one with xner train)");
        }
        OnnxRuntimeForm.checkConfig(file, config);
        Prepared prepared = prepare(file, config, fuse);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = prepared.fused() == null ? environment.createSession(file.toString(), options)
                    : fusedSession(environment, file, prepared.fused(), options);
        } catch (OrtException e) {
            throw new XnerInputException(file + ": not a readable ONNX model (truncated, or not ONNX?): " + firstLine(e));
        }
        OnnxTokenClassifier model = new OnnxTokenClassifier(file, config, environment, session, prepared.form());
        try {
            model.check();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The ONNX file a folder offers, or a message that says how to make one. */
    public static Path file(Path dir, String fileName) {
        if (!Files.isDirectory(dir)) throw new XnerInputException(dir + ": no such model directory");
        if (fileName != null) {
            Path named = dir.resolve(fileName);
            if (!Files.isRegularFile(named)) {
                throw new XnerInputException(named + ": no such file" + (fileName.equals(INT8_FILE)
                        ? " (make it with: xner export --model " + dir + " --output " + dir + " --quantize int8)" : ""));
            }
            return named;
        }
        if (Files.isRegularFile(dir.resolve(FP32_FILE))) return dir.resolve(FP32_FILE);
        if (Files.isRegularFile(dir.resolve(INT8_FILE))) return dir.resolve(INT8_FILE);
        throw new XnerInputException(dir + ": no " + FP32_FILE + " or " + INT8_FILE + " for --runtime onnx; make one with: "
                + "xner export --model " + dir + " --output " + dir + " [--quantize int8]");
    }

    /** The intra-op threads: {@code xner.onnx.num_threads}, which {@code XNER_THREADS} sets as it does libtorch's. */
    static int threads() {
        String value = System.getProperty("xner.onnx.num_threads");
        if (value == null || value.isBlank()) return DEFAULT_THREADS;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new XnerInputException("xner.onnx.num_threads (XNER_THREADS): expected a number of threads >= 1, got \"" + value + "\"");
    }

    /** Inputs named as the exporters name them, and logits of (batch, sequence, the config's labels). */
    private void check() {
        Set<String> inputs = new TreeSet<>(session.getInputNames());
        Set<String> allowed = new TreeSet<>(REQUIRED_INPUTS);
        allowed.add(TOKEN_TYPES);
        if (!inputs.containsAll(REQUIRED_INPUTS) || !allowed.containsAll(inputs)) {
            throw new XnerInputException(file + ": inputs " + inputs + "; a token classifier takes input_ids, attention_mask "
                    + "and optionally token_type_ids");
        }
        if (!session.getOutputNames().contains("logits")) {
            throw new XnerInputException(file + ": not a token classifier: its outputs are " + session.getOutputNames()
                    + ", expected logits (batch, sequence, labels)");
        }
        long[] declared = outputShape();
        if (declared.length != 3) {
            throw new XnerInputException(file + ": not a token classifier: logits have " + declared.length
                    + " dimensions, expected 3 (batch, sequence, labels)");
        }
        int labels = config.numLabels();
        if (declared[2] > 0 && declared[2] != labels) throw labelCount(declared[2]);
        // a probe of two tokens: catches a file whose shapes are dynamic but whose head is another's
        int probeLength = Math.min(2, maxSequenceLength());
        float[] probe = logits(1, probeLength, new long[probeLength], filled(probeLength));
        if (probe.length != (long) probeLength * labels) throw labelCount(probe.length / probeLength);
    }

    private long[] outputShape() {
        try {
            NodeInfo info = session.getOutputInfo().get("logits");
            if (!(info.getInfo() instanceof TensorInfo tensor)) {
                throw new XnerInputException(file + ": not a token classifier: logits are not a tensor");
            }
            return tensor.getShape();
        } catch (OrtException e) {
            throw new XnerInputException(file + ": cannot read its outputs: " + firstLine(e));
        }
    }

    private XnerInputException labelCount(long found) {
        return new XnerInputException(file + ": logits have " + found + " labels but " + ModelDirectory.CONFIG + "'s id2label has "
                + config.numLabels() + " " + config.id2label() + ": the ONNX file and the config are of different models");
    }

    private static long[] filled(int n) {
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1L);
        return ones;
    }

    @Override
    public float[] logits(int rows, int length, long[] ids, long[] mask) {
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) inputs.put(TOKEN_TYPES, OnnxTensor.createTensor(environment, LongBuffer.allocate(ids.length), shape));
            try (OrtSession.Result result = session.run(inputs, Set.of("logits"))) {
                OnnxTensor logits = (OnnxTensor) result.get(0);
                FloatBuffer buffer = logits.getFloatBuffer();
                float[] out = new float[buffer.remaining()];
                buffer.get(out);
                return out; // (rows, length, labels)
            }
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": ONNX Runtime failed on a batch of " + rows + " × " + length + ": " + firstLine(e), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public LabelSet labels() {
        return new LabelSet(config.id2label());
    }

    @Override
    public BertConfig config() {
        return config;
    }

    /** As the libtorch encoder: RoBERTa's positions start after the padding id ({@link XlmRobertaEncoder}). */
    @Override
    public int maxSequenceLength() {
        return config.isRoberta() ? config.maxPositionEmbeddings() - config.padTokenId() - 1 : config.maxPositionEmbeddings();
    }

    @Override
    public String runtime() {
        return "onnx " + file.getFileName();
    }

    /** Whether xner's fused form runs ({@code xner.onnx.fuse}, default true). */
    static boolean fuses() {
        String value = System.getProperty("xner.onnx.fuse");
        if (value == null || value.isBlank() || value.trim().equals("true")) return true;
        if (value.trim().equals("false")) return false;
        throw new XnerInputException("xner.onnx.fuse: expected true or false, got \"" + value + "\"");
    }

    /** The fused graph, written for ONNX Runtime to read (null to run the file as stored), and how it runs. */
    private record Prepared(Path fused, String form) {}

    /**
     * Writes the fused form into a temporary file: ONNX Runtime then reads it as it reads any file, and the weights go
     * file to file, never through the JVM's heap (in memory, 700 MB of mBERT would have tripled the resident size).
     */
    private static Prepared prepare(Path file, BertConfig config, boolean fuse) {
        if (!fuse) return new Prepared(null, "as stored: xner.onnx.fuse=false");
        OnnxRuntimeForm.Built built = OnnxRuntimeForm.of(file, config);
        if (built.model() == null) return new Prepared(null, "as stored: " + built.reason());
        Path fused = null;
        try {
            fused = Files.createTempFile("xner-fused-", ".onnx");
            OnnxRuntimeForm.write(built.model(), file, fused);
            return new Prepared(fused, FUSED);
        } catch (IOException e) {
            deleteQuietly(fused);
            return new Prepared(null, "as stored: the fused form could not be written to " + fused + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind in java.io.tmpdir: harmless, the model already runs
        }
    }

    /** {@link #form()} of a model in the fused form. */
    static final String FUSED = "fused: ONNX Runtime's com.microsoft operators (MultiHeadAttention, SkipLayerNormalization...)";

    /** A session of the fused graph; its temporary file is deleted once ONNX Runtime has read it. */
    private static OrtSession fusedSession(OrtEnvironment environment, Path file, Path fused, OrtSession.SessionOptions options) {
        try {
            return environment.createSession(fused.toString(), options);
        } catch (OrtException e) {
            // a bug of ours, not the user's file: say so with the file, which runs fine as stored
            throw new IllegalStateException(file + ": ONNX Runtime rejected xner's fused form of it (run it as stored with "
                    + "-Dxner.onnx.fuse=false): " + firstLine(e), e);
        } finally {
            deleteQuietly(fused);
        }
    }

    /** How the file runs: fused for ONNX Runtime, or as stored and why. */
    public String form() {
        return form;
    }

    /** The file this model was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": closing the ONNX Runtime session failed", e);
        }
    }

    private static String firstLine(OrtException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
