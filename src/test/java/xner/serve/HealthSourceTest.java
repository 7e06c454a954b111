package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import xner.infer.TagPipeline;
import xner.model.LocalModel;
import xner.model.ModelSource;

/** {@code GET /health} names where the model came from: its folder, or its hub id, revision and commit. */
class HealthSourceTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static JsonObject health(TagPipeline pipeline, LocalModel model) throws Exception {
        try (TagServer server = TagServer.start(pipeline, Settings.DEFAULTS.withAddress("127.0.0.1", 0), model)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JsonParser.parseString(r.body()).getAsJsonObject();
        }
    }

    @Test
    void aHubModelIsNamedByIdRevisionAndCommitAFolderByItsPath() throws Exception {
        Path folder = Path.of(HealthSourceTest.class.getResource("/xner/model/hub/tiny-bert").toURI());
        try (TagPipeline pipeline = TagPipeline.load(folder)) {
            JsonObject hub = health(pipeline, new LocalModel(folder, new ModelSource.Hub("acme/tiny-ner", "v1.0"), COMMIT, false));
            assertEquals("acme/tiny-ner", hub.get("model").getAsString());
            assertEquals(JsonParser.parseString("{\"type\": \"hub\", \"id\": \"acme/tiny-ner\", \"revision\": \"v1.0\", \"commit\": \""
                    + COMMIT + "\", \"path\": \"" + folder.toAbsolutePath().normalize() + "\"}"), hub.get("source"));

            JsonObject local = health(pipeline, LocalModel.folder(folder));
            assertEquals("tiny-bert", local.get("model").getAsString());
            assertEquals(JsonParser.parseString("{\"type\": \"folder\", \"path\": \"" + folder.toAbsolutePath().normalize() + "\"}"),
                    local.get("source"));
        }
    }
}
