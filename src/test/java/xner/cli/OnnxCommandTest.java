package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;
import xner.model.ModelDirectory;
import xner.testing.Cli;

/**
 * {@code xner export} and {@code --runtime onnx} end to end on the keyword model (tags chosen by the test): the
 * same tables, entities, scores and service answers as libtorch, bad input in one line with exit 2, and an
 * ONNX-only folder tagged by a JVM that has no libtorch at all.
 */
class OnnxCommandTest {
    static final String TEXT = "Jeff Dean ist ein Informatiker bei Google in Kalifornien";
    @TempDir static Path dir;
    static Path model;
    static Path onnx;

    @BeforeAll
    static void export() {
        model = KeywordModel.standard(dir.resolve("model"));
        onnx = dir.resolve("onnx");
        Cli.Run fp32 = Cli.run("export", "--model", model.toString(), "--output", onnx.toString());
        assertEquals(Xner.EXIT_OK, fp32.exit(), fp32.err());
        assertTrue(fp32.err().contains("model.onnx"), fp32.err());
        Cli.Run int8 = Cli.run("export", "--model", model.toString(), "--output", onnx.toString(), "--quantize", "int8");
        assertEquals(Xner.EXIT_OK, int8.exit(), int8.err());
    }

    @Test
    void theExportedFolderHasOptimumsLayout() {
        for (String name : List.of("model.onnx", "model_quantized.onnx", "config.json", "vocab.txt", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(onnx.resolve(name)), name);
        }
        assertFalse(Files.exists(onnx.resolve(ModelDirectory.WEIGHTS)), "the weights stay behind");
    }

    @Test
    void aFolderWithOnlyVocabTxtGetsTheTokenizerJsonOfItsTokenizer() throws IOException {
        Path plain = dir.resolve("vocab-only");
        Files.createDirectories(plain);
        for (String name : List.of("config.json", "model.safetensors", "vocab.txt")) Files.copy(model.resolve(name), plain.resolve(name));
        Path out = dir.resolve("vocab-only-onnx");
        assertEquals(Xner.EXIT_OK, Cli.run("export", "--model", plain.toString(), "--output", out.toString()).exit());
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        try (var files = Files.list(out)) {
            assertEquals(List.of("config.json", "model.onnx", "special_tokens_map.json", "tokenizer.json", "vocab.txt"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no scratch folder or partial file left");
        }
        Cli.Run tagged = Cli.run("tag", "--model", out.toString(), "--runtime", "onnx", TEXT);
        assertEquals(Cli.run("tag", "--model", model.toString(), TEXT).out(), tagged.out(), "the same tokens, the same tags");
    }

    @Test
    void tagOnOnnxPrintsWhatLibtorchPrints() {
        Cli.Run torch = Cli.run("tag", "--model", model.toString(), TEXT);
        Cli.Run fp32 = Cli.run("tag", "--model", onnx.toString(), "--runtime", "onnx", TEXT);
        Cli.Run int8 = Cli.run("tag", "--model", onnx.toString(), "--runtime", "onnx-int8", TEXT);
        assertEquals(Xner.EXIT_OK, fp32.exit(), fp32.err());
        assertTrue(torch.out().contains("B-PER") && torch.out().contains("Kalifornien"), torch.out());
        assertEquals(torch.out(), fp32.out());
        assertEquals(entityLines(torch.out()), entityLines(int8.out()), "int8: the same entities (scores may differ)");
    }

    /** Two German sentences with gold tags, 4 of whose 5 entities the test model finds. */
    private Path twoGoldSentences(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "Jeff B-PER\nDean I-PER\nist O\nbei O\nGoogle B-ORG\nin O\nZürich B-LOC\n\n"
                + "Sylvain B-PER\nin O\nBrooklyn B-ORG\n\n", StandardCharsets.UTF_8);
    }

    /** The entity rows of tag's output without their scores. */
    static List<String> entityLines(String out) {
        return out.lines().filter(l -> l.matches("\\s+(PER|ORG|LOC)\\s.*")).map(l -> l.replaceAll("\\d\\.\\d{4}", "")).toList();
    }

    @Test
    void evaluateOnOnnxScoresAsLibtorch() throws IOException {
        Path test = twoGoldSentences("test.conll");
        Cli.Run torch = Cli.run("evaluate", "--model", model.toString(), "--test", test.toString(), "--json");
        Cli.Run fp32 = Cli.run("evaluate", "--model", onnx.toString(), "--test", test.toString(), "--json", "--runtime", "onnx");
        assertEquals(Xner.EXIT_OK, fp32.exit(), fp32.err());
        JsonObject a = JsonParser.parseString(torch.out()).getAsJsonObject().getAsJsonObject(test.toString());
        JsonObject b = JsonParser.parseString(fp32.out()).getAsJsonObject().getAsJsonObject(test.toString());
        assertEquals(0.8, a.get("f1").getAsDouble(), 1e-9, "4 of 5 entities right: the scores are not trivially 1 or 0");
        assertEquals(a.get("f1").getAsDouble(), b.get("f1").getAsDouble(), 0);
        assertEquals(a.get("per_type").toString(), b.get("per_type").toString());
        assertEquals(a.get("loss").getAsDouble(), b.get("loss").getAsDouble(), 1e-4);
    }

    /** analyze reads the same one pass as evaluate, so it runs on ONNX Runtime too (issue 25 §2). */
    @Test
    void analyzeOnOnnxFindsTheLossesOfLibtorch() throws IOException {
        Path test = twoGoldSentences("analyze.conll");
        Cli.Run torch = Cli.run("analyze", "--model", model.toString(), "--test", test.toString(), "--json");
        Cli.Run onnxRun = Cli.run("analyze", "--model", onnx.toString(), "--test", test.toString(), "--json", "--runtime", "onnx");
        assertEquals(Xner.EXIT_OK, torch.exit(), torch.err());
        assertEquals(Xner.EXIT_OK, onnxRun.exit(), onnxRun.err());
        JsonObject a = JsonParser.parseString(torch.out()).getAsJsonObject();
        JsonObject b = JsonParser.parseString(onnxRun.out()).getAsJsonObject();
        assertEquals(a.get("confusion").toString(), b.get("confusion").toString());
        assertEquals(a.get("sequences").getAsInt(), b.get("sequences").getAsInt());
        var sa = a.getAsJsonArray("highest_loss");
        var sb = b.getAsJsonArray("highest_loss");
        assertEquals(2, sa.size(), a.toString());
        assertEquals(sa.size(), sb.size());
        for (int i = 0; i < sa.size(); i++) {
            assertEquals(sa.get(i).getAsJsonObject().get("total_loss").getAsDouble(),
                    sb.get(i).getAsJsonObject().get("total_loss").getAsDouble(), 1e-4, "sequence " + i);
        }
    }

    @Test
    void serveOnOnnxAnswersAsLibtorch() throws Exception {
        String body = "{\"inputs\": \"" + TEXT + "\"}";
        // the same entities and offsets; scores agree to 1e-6 (float logits from two runtimes), not bit for bit
        var torch = JsonParser.parseString(answer(model, "libtorch", body)).getAsJsonArray();
        var fp32 = JsonParser.parseString(answer(onnx, "onnx", body)).getAsJsonArray();
        assertEquals(3, torch.size(), torch.toString());
        assertEquals(torch.size(), fp32.size(), fp32.toString());
        for (int i = 0; i < torch.size(); i++) {
            JsonObject a = torch.get(i).getAsJsonObject();
            JsonObject b = fp32.get(i).getAsJsonObject();
            assertEquals(a.get("score").getAsDouble(), b.get("score").getAsDouble(), 1e-6);
            a.remove("score");
            b.remove("score");
            assertEquals(a, b);
        }
    }

    private static String answer(Path folder, String runtime, String body) throws Exception {
        Cli.Background server = Cli.start("serve", "--model", folder.toString(), "--port", "0", "--runtime", runtime);
        try {
            Matcher m = server.awaitErr(Pattern.compile("at (http://\\S+/)"));
            assertTrue(m.find(0), server.err());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"entity_group\":\"LOC\""), r.body());
            return r.body();
        } finally {
            server.thread().interrupt();
            server.thread().join(20_000);
        }
    }

    @Test
    void badInputIsOneLineWithExitTwo() throws IOException {
        Cli.Run none = Cli.run("tag", "--model", model.toString(), "--runtime", "onnx", TEXT);
        assertEquals(Xner.EXIT_BAD_INPUT, none.exit());
        assertEquals(1, none.err().lines().count(), none.err());
        assertTrue(none.err().contains(model + ": no model.onnx or model_quantized.onnx") && none.err().contains("xner export --model"),
                none.err());

        Cli.Run unknown = Cli.run("tag", "--model", onnx.toString(), "--runtime", "tensorflow", TEXT);
        assertEquals(Xner.EXIT_BAD_INPUT, unknown.exit());
        assertTrue(unknown.err().contains("--runtime: expected libtorch, onnx or onnx-int8"), unknown.err());

        Path onlyInt8 = dir.resolve("only-int8");
        Files.createDirectories(onlyInt8);
        Files.copy(onnx.resolve("config.json"), onlyInt8.resolve("config.json"));
        Files.copy(onnx.resolve("model_quantized.onnx"), onlyInt8.resolve("model_quantized.onnx"));
        Cli.Run twice = Cli.run("export", "--model", onlyInt8.toString(), "--output", onlyInt8.toString(), "--quantize", "int8");
        assertEquals(Xner.EXIT_BAD_INPUT, twice.exit());
        assertTrue(twice.err().contains("already quantized"), twice.err());

        Cli.Run bits = Cli.run("export", "--model", model.toString(), "--output", onlyInt8.toString(), "--quantize", "int4");
        assertEquals(Xner.EXIT_BAD_INPUT, bits.exit());
        assertTrue(bits.err().contains("--quantize: only int8"), bits.err());

        Path truncated = dir.resolve("truncated");
        Files.createDirectories(truncated);
        Files.copy(onnx.resolve("config.json"), truncated.resolve("config.json"));
        Files.copy(onnx.resolve("vocab.txt"), truncated.resolve("vocab.txt"));
        byte[] bytes = Files.readAllBytes(onnx.resolve("model.onnx"));
        Files.write(truncated.resolve("model.onnx"), java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        Cli.Run cut = Cli.run("tag", "--model", truncated.toString(), "--runtime", "onnx", TEXT);
        assertEquals(Xner.EXIT_BAD_INPUT, cut.exit());
        assertEquals(1, cut.err().lines().count(), cut.err());
        assertTrue(cut.err().contains(truncated.resolve("model.onnx") + ": not a readable ONNX model"), cut.err());
    }

    /**
     * A JVM whose class path lacks DJL's PyTorch engine and libtorch (the 100 MB native jar) tags the ONNX-only
     * folder; the same JVM on --runtime libtorch fails, which shows that libtorch is really absent.
     */
    @Test
    void anOnnxOnlyFolderTagsWithoutLibtorch() throws Exception {
        List<String> classPath = new ArrayList<>();
        // the application's class path: the test's less libtorch and the test-only jars (Selenium's OpenTelemetry jars on
        // the class path crash this JVM at start-up, SIGSEGV; the application never has them)
        for (String entry : testClassPath()) {
            if (!entry.matches(".*(pytorch|selenium|opentelemetry|junit|test-classes).*")) classPath.add(entry);
        }
        assertTrue(classPath.stream().anyMatch(e -> e.contains("onnxruntime")), classPath.toString());
        Path djlCache = dir.resolve("djl-cache"); // empty: no libtorch unpacked earlier can be found either
        Run onnxRun = java(classPath, djlCache, "tag", "--model", onnx.toString(), "--runtime", "onnx", "--json", TEXT);
        assertEquals(0, onnxRun.exit(), onnxRun.out());
        assertTrue(onnxRun.out().contains("\"entity_group\":\"LOC\"") && onnxRun.out().contains("Kalifornien"), onnxRun.out());
        Run torchRun = java(classPath, djlCache, "tag", "--model", model.toString(), TEXT);
        assertNotEquals(0, torchRun.exit(), "libtorch was found after all: " + torchRun.out());
    }

    record Run(int exit, String out) {}

    private static Run java(List<String> classPath, Path djlCache, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), "-Dai.djl.offline=true", "xner.cli.Xner"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DJL_CACHE_DIR", djlCache.toString());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM did not finish");
        return new Run(p.exitValue(), out);
    }

    /** The test JVM's class path, read through Surefire's manifest-only booter jar when it uses one. */
    private static List<String> testClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("surefirebooter") && entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : manifest.split(" ")) {
                        if (!url.isBlank()) entries.add(Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url)).toString());
                    }
                }
            } else {
                entries.add(entry);
            }
        }
        return entries;
    }
}
