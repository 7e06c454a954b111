package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.io.JsonOutput;
import xner.model.TokenClassifier;
import xner.onnx.OnnxExport;
import xner.testing.ExternalTools;
import xner.testing.TinyModels;

/**
 * An exported folder in a second ecosystem: transformers.js ({@code @huggingface/transformers} from npm, run by
 * node, remote models off) loads what {@code xner export} wrote and gives every token of 200 Swiss German test
 * sentences the label xner gives it on ONNX Runtime.
 */
class TransformersJsTest {
    @TempDir Path dir;

    @Test
    void transformersJsLabelsEveryTokenAsXnerDoes() throws Exception {
        Path node = ExternalTools.node("@huggingface/transformers");
        Dataset test = OnnxParityTest.swissGermanTest();
        List<Sentence> sentences = test.sentences().subList(0, 200);
        Path folder = dir.resolve("model");
        int vocab = TinyModels.wordTokenizer(folder, test);
        // weights N(0, 0.5): confident, varied labels, so that agreement is not all-O by chance
        var config = TinyModels.wordLevelBert(vocab).toBuilder().initializerRange(0.5).build().withLabels(LabelSet.PANX.names());
        try (TokenClassifier model = TokenClassifier.initialise(config, 17)) {
            model.save(folder, folder);
        }
        OnnxExport.export(folder, folder, null);
        Files.delete(folder.resolve("model.safetensors")); // transformers.js reads the ONNX file, nothing else

        List<String> texts = sentences.stream().map(s -> String.join(" ", s.words())).toList();
        Path textsFile = dir.resolve("texts.json");
        Files.writeString(textsFile, JsonOutput.LINE.toJson(texts));
        JsonArray theirs = run(node, folder, textsFile);

        int tokens = 0;
        int unknown = 0;
        try (TagPipeline ours = TagPipeline.load(folder, TagPipeline.Options.DEFAULTS, ModelRuntime.ONNX)) {
            for (int i = 0; i < texts.size(); i++) {
                Tagged tagged = ours.tag(texts.get(i));
                List<String> mine = new ArrayList<>();
                for (Prediction p : tagged.predict(Aggregation.NONE)) {
                    TokenPrediction t = (TokenPrediction) p;
                    // transformers.js leaves out [UNK] as it leaves out [CLS] (a special token of its tokenizer);
                    // transformers in Python and xner keep it, labelled: not compared
                    if (tagged.tokens().get(t.index()).token().equals("[UNK]")) {
                        unknown++;
                        continue;
                    }
                    mine.add(t.index() + " " + t.word() + " " + t.label());
                }
                List<String> js = new ArrayList<>();
                for (JsonElement e : theirs.get(i).getAsJsonArray()) {
                    JsonArray a = e.getAsJsonArray();
                    js.add(a.get(0).getAsInt() + " " + a.get(1).getAsString() + " " + a.get(2).getAsString());
                }
                assertEquals(mine, js, "sentence " + i + ": " + texts.get(i));
                tokens += mine.size();
            }
        }
        assertTrue(tokens > 200 && unknown < tokens / 10, "entity tokens compared: " + tokens + ", [UNK] left out: " + unknown);
    }

    private static JsonArray run(Path node, Path model, Path texts) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(node.toString(), "transformers-token-classification.mjs", model.toString(), texts.toString())
                .directory(ExternalTools.NODE_PROJECT.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node finished");
        assertEquals(0, p.exitValue(), "node failed:\n" + err);
        return JsonParser.parseString(new String(out, StandardCharsets.UTF_8)).getAsJsonArray();
    }
}
