package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.infer.Aggregation;
import xner.infer.Prediction;
import xner.infer.TagPipeline;
import xner.model.ModelSource;
import xner.testing.Cli;
import xner.testing.FakeHub;

/**
 * {@code --model ORG/NAME} end to end: a JVM of its own (the hub's environment variables are read from the process
 * environment) tags with a model fetched from a stand-in for the hub, then with the hub gone and HF_HUB_OFFLINE=1.
 */
class HubModelCommandTest {
    private static final String TEXT = "Jeff Dean ist ein Informatiker bei Google in Kalifornien";

    @TempDir Path dir;
    private final FakeHub hub = new FakeHub();
    private final FakeHub cdn = new FakeHub();

    @AfterEach
    void stop() {
        hub.close();
        cdn.close();
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(HubModelCommandTest.class.getResource("/xner/model/hub/tiny-bert").toURI());
    }

    private void serveTinyBert() throws Exception {
        for (String revision : List.of("main", FakeHub.COMMIT)) {
            for (String name : List.of("config.json", "vocab.txt", "tokenizer_config.json")) {
                hub.serve(FakeHub.modelPath("acme/tiny-ner", revision, name), Files.readAllBytes(fixture().resolve(name)));
            }
            hub.lfs(FakeHub.modelPath("acme/tiny-ner", revision, "pytorch_model.bin"),
                    Files.readAllBytes(fixture().resolve("pytorch_model.bin")), cdn, FakeHub.COMMIT);
        }
    }

    record Run(int exit, String out, String err) {}

    private Run xner(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "xner.cli.Xner"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        for (String name : List.of("HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE", "HF_HOME")) builder.environment().remove(name);
        builder.environment().put("HF_HUB_CACHE", dir.resolve("hub-cache").toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "xner did not finish");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Tag("slow") // two JVMs that load libtorch
    @Test
    void tagsWithAModelByIdAsWithItsFolderThenOfflineFromTheCache() throws Exception {
        serveTinyBert();
        String expected;
        try (TagPipeline pipeline = TagPipeline.load(fixture())) {
            JsonArray array = new JsonArray();
            for (Prediction p : pipeline.tag(TEXT).predict(Aggregation.FIRST)) array.add(p.toJson());
            expected = array.toString();
        }

        Run online = xner(Map.of("HF_ENDPOINT", hub.endpoint().toString()), "tag", "--model", "acme/tiny-ner", "--json", TEXT);

        assertEquals(0, online.exit(), online.err());
        assertEquals(expected, online.out().strip());
        assertTrue(online.err().contains("xner: downloading " + hub.endpoint() + "/acme/tiny-ner/resolve/" + FakeHub.COMMIT
                + "/pytorch_model.bin (0.0 MB)"), online.err());
        assertTrue(online.err().contains("xner: model acme/tiny-ner@main (commit 0123456789ab) in " + dir.resolve("hub-cache")
                .resolve("models--acme--tiny-ner/snapshots/" + FakeHub.COMMIT)), online.err());

        hub.close();
        Run offline = xner(Map.of("HF_HUB_OFFLINE", "1", "HF_ENDPOINT", hub.endpoint().toString()), "tag", "--model",
                "acme/tiny-ner", "--json", TEXT);

        assertEquals(0, offline.exit(), offline.err());
        assertEquals(expected, offline.out().strip());
        assertFalse(offline.err().contains("downloading"), offline.err());
    }

    @Tag("slow") // a JVM of its own
    @Test
    void aModelTheHubDoesNotHaveIsOneLineAndExitStatus2() throws Exception {
        hub.answer(FakeHub.modelPath("acme/nothing", "main", "config.json"), 401, Map.of("X-Error-Code", "RepoNotFound"));

        Run run = xner(Map.of("HF_ENDPOINT", hub.endpoint().toString()), "tag", "--model", "acme/nothing", TEXT);

        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("xner: acme/nothing is not a folder here, so it was looked up on the hub: " + hub.endpoint()
                + "/acme/nothing/resolve/main/config.json: HTTP 401: no such repository on the hub, or a private one"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void theModelOptionTakesAFolderOrAHubIdAndTheHelpSaysWhichWins() {
        TagCommand tag = new TagCommand();
        new CommandLine(tag).parseArgs("--model", "dslim/bert-base-NER@v1", "Jeff");
        assertEquals(new ModelSource.Hub("dslim/bert-base-NER", "v1"), tag.model);

        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--model", dir.toString(), "--output", dir.resolve("out").toString());
        assertInstanceOf(ModelSource.Folder.class, train.body);

        for (String command : List.of("tag", "serve", "evaluate", "analyze", "export", "train", "fill-mask")) {
            String help = Cli.run(command, "--help").out().replaceAll("\\s+", ""); // picocli wraps lines where it likes
            assertTrue(help.contains("ORG/NAME[@REVISION]thatisnotafolderhereisamodelontheHuggingFacehub"), command + ": " + help);
            assertTrue(help.contains("Anexistingfolderofthatnamewins."), command);
        }
    }
}
