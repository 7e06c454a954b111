package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.Aggregation;
import xner.infer.KeywordModel;
import xner.infer.Prediction;
import xner.infer.TagPipeline;
import xner.testing.ExternalTools;

/**
 * The service through Hugging Face's own JavaScript client ({@code @huggingface/inference} from npm), run by
 * node with the service's URL as its endpoint: what the client returns must be what the pipeline says.
 */
class HuggingFaceClientTest {
    @TempDir Path dir;

    @Test
    void theNpmClientsTokenClassificationReadsOurAnswersAndOurErrors() throws Exception {
        Path node = ExternalTools.node();
        String text = "Jeff Dean ist ein Informatiker bei Google in Kalifornien, Microsoft in Zürich 😀";
        try (TagPipeline pipeline = TagPipeline.load(KeywordModel.standard(dir.resolve("model")));
                TagServer server = TagServer.start(pipeline, Settings.DEFAULTS.withAddress("127.0.0.1", 0))) {
            Process p = new ProcessBuilder(node.toString(), "token-classification.mjs", server.uri().toString(), text)
                    .directory(ExternalTools.NODE_PROJECT.toFile()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node finished");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "node failed:\n" + err + out);

            JsonObject answers = JsonParser.parseString(out).getAsJsonObject();
            assertEquals(expected(pipeline, text, Aggregation.FIRST), answers.getAsJsonArray("function"));
            assertEquals(expected(pipeline, text, Aggregation.SIMPLE), answers.getAsJsonArray("client"));
            assertEquals(List.of("PER Jeff Dean", "ORG Google", "LOC Kalifornien", "ORG Microsoft", "LOC Zürich"),
                    brief(answers.getAsJsonArray("function")));
            assertEquals("422 Failed to perform inference: parameters.aggregation_strategy: "
                    + "unknown aggregation strategy \"mean\" (expected none, simple, first, average or max)",
                    answers.get("error").getAsString());
        }
    }

    static JsonArray expected(TagPipeline pipeline, String text, Aggregation aggregation) {
        JsonArray a = new JsonArray();
        for (Prediction p : pipeline.tag(text).predict(aggregation)) a.add(p.toJson());
        return a;
    }

    static List<String> brief(JsonArray entities) {
        return entities.asList().stream().map(JsonElement::getAsJsonObject)
                .map(o -> o.get("entity_group").getAsString() + " " + o.get("word").getAsString()).toList();
    }

}
