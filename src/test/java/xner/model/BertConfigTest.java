package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

class BertConfigTest {
    @Test
    void missingKeysTakeHuggingFaceDefaults() {
        BertConfig c = BertConfig.fromJson("{\"model_type\": \"bert\", \"vocab_size\": 100}", "config.json");
        assertEquals(100, c.vocabSize());
        assertEquals(768, c.hiddenSize());
        assertEquals(12, c.numHiddenLayers());
        assertEquals("gelu", c.hiddenAct());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(0, c.padTokenId());
        assertEquals(0, c.numLabels());
        BertConfig x = BertConfig.fromJson("{\"model_type\": \"xlm-roberta\"}", "config.json");
        assertEquals(1, x.padTokenId(), "XLMRobertaConfig pads with id 1");
        assertTrue(x.isRoberta());
    }

    @Test
    void roundTripsThroughJsonKeepingUnknownKeys() {
        String json = "{\"model_type\": \"xlm-roberta\", \"vocab_size\": 250002, \"hidden_size\": 768,"
                + " \"max_position_embeddings\": 514, \"type_vocab_size\": 1, \"layer_norm_eps\": 1e-05,"
                + " \"bos_token_id\": 0, \"eos_token_id\": 2, \"output_past\": true,"
                + " \"architectures\": [\"XLMRobertaForMaskedLM\"]}";
        BertConfig c = BertConfig.fromJson(json, "config.json");
        BertConfig again = BertConfig.fromJson(c.toJson(), "again");
        assertEquals(c, again);
        assertEquals(0, again.extra().get("bos_token_id").getAsInt());
        assertEquals(List.of("XLMRobertaForMaskedLM"), again.architectures());
        assertEquals(1e-5, again.layerNormEps());
    }

    @Test
    void labelsAreWrittenAsId2LabelAndLabel2Id() {
        BertConfig c = BertConfig.defaults("bert").withLabels(List.of("O", "B-PER", "I-PER"));
        var json = JsonParser.parseString(c.toJson()).getAsJsonObject();
        assertEquals("B-PER", json.getAsJsonObject("id2label").get("1").getAsString());
        assertEquals(2, json.getAsJsonObject("label2id").get("I-PER").getAsInt());
        BertConfig back = BertConfig.fromJson(c.toJson(), "config.json");
        assertEquals(3, back.numLabels());
        assertEquals(Map.of("O", 0, "B-PER", 1, "I-PER", 2), back.label2id());
    }

    @Test
    void numLabelsAloneNamesLabelsAsTransformersDoes() {
        BertConfig c = BertConfig.fromJson("{\"num_labels\": 3}", "config.json");
        assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), c.id2label());
    }

    @Test
    void badValuesNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hidden_size\": 770, \"num_attention_heads\": 12}");
        var e = assertThrows(XnerInputException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": hidden_size: must be a multiple of num_attention_heads"),
                e.getMessage());
        assertMessage("{\"hidden_size\": \"big\"}", "config.json: hidden_size: expected an integer");
        assertMessage("{\"model_type\": \"gpt2\"}", "config.json: model_type: unsupported \"gpt2\"");
        assertMessage("{\"hidden_act\": \"swish\"}", "config.json: hidden_act: unsupported \"swish\"");
        assertMessage("{\"hidden_dropout_prob\": 1.5}", "config.json: hidden_dropout_prob: must be in [0, 1)");
        assertMessage("{\"position_embedding_type\": \"relative_key\"}", "config.json: position_embedding_type");
        assertMessage("{\"id2label\": {\"0\": \"O\"}, \"label2id\": {\"O\": 1}}", "config.json: label2id");
        assertMessage("{\"id2label\": {\"0\": \"O\", \"2\": \"B-PER\"}}", "config.json: id2label: ids must be");
        assertMessage("[1, 2]", "config.json: expected a JSON object");
        assertMessage("{", "config.json: not valid JSON");
        var missing = assertThrows(XnerInputException.class, () -> BertConfig.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json: no such file"), missing.getMessage());
    }

    /**
     * Found fuzzing config.json: a file that is not UTF-8 escaped as an UncheckedIOException ("Input length = 1"), and
     * malformed JSON printed Gson's troubleshooting link on a second line.
     */
    @Test
    void unreadableTextIsRefusedInOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.write(file, new byte[] {'{', '"', (byte) 0xE6, (byte) 0xDD, '"', ':', '1', '}'});
        assertEquals(file + ": not UTF-8 text (at byte offset 2)",
                assertThrows(XnerInputException.class, () -> BertConfig.read(file)).getMessage());
        Files.writeString(file, "{\"vocab_size\": 30,\n \"hidden_size\" 8}");
        assertEquals(file + ": not valid JSON: Expected ':' at line 2, column 17 (path $.hidden_size)",
                assertThrows(XnerInputException.class, () -> BertConfig.read(file)).getMessage());
    }

    /**
     * A value with a line break (escaped, as JSON writes it) is quoted in one line (found fuzzing, when config.json was
     * read leniently); a raw line break inside a string is not JSON and is refused with its place.
     */
    @Test
    void aValueWithALineBreakIsQuotedInOneLine() {
        assertEquals("config.json: model_type: unsupported \"xlm\\n  erta\" (xner supports bert, xlm-roberta, roberta, camembert, distilbert)",
                assertThrows(XnerInputException.class, () -> BertConfig.fromJson("{\"model_type\": \"xlm\\n  erta\"}", "config.json"))
                        .getMessage());
        String raw = assertThrows(XnerInputException.class, () -> BertConfig.fromJson("{\"model_type\": \"xlm\n  erta\"}", "config.json"))
                .getMessage();
        assertTrue(raw.startsWith("config.json: not valid JSON: a control character (U+0000 to U+001F) in a string") && !raw.contains("\n"), raw);
    }

    /**
     * Found fuzzing: 40 bytes, {"num_labels": 91616}, took over 30 s, written back and read again (label2id checked by
     * searching the list of labels once per entry). Now linear; num_labels alone is bounded; a label2id value past
     * Gson's exponent limit is refused rather than thrown as NumberFormatException; two keys of one id are refused.
     */
    @Test
    void manyLabelsReadInLinearTimeAndNumLabelsAloneIsBounded() {
        StringBuilder id2 = new StringBuilder("{\"id2label\": {");
        StringBuilder toId = new StringBuilder("\"label2id\": {");
        for (int i = 0; i < BertConfig.MAX_LABELS; i++) {
            id2.append(i == 0 ? "" : ",").append('"').append(i).append("\": \"L").append(i).append('"');
            toId.append(i == 0 ? "" : ",").append("\"L").append(i).append("\": ").append(i);
        }
        long start = System.nanoTime();
        BertConfig many = BertConfig.fromJson(id2 + "}, " + toId + "}}", "config.json");
        assertEquals(many, BertConfig.fromJson(many.toJson(), "written"));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "65,536 labels read twice in " + (System.nanoTime() - start) / 1e9 + " s");
        assertEquals(BertConfig.MAX_LABELS, BertConfig.fromJson("{\"num_labels\": 65536}", "c").numLabels());
        assertMessage("{\"num_labels\": 65537}", "config.json: num_labels: 65537 labels, more than xner takes (65536)");
        assertMessage("{\"id2label\": {\"0\": \"O\"}, \"label2id\": {\"O\": 1e99999}}",
                "config.json: label2id: \"O\": 1e99999 disagrees with id2label, where it has id 0");
        assertMessage("{\"id2label\": {\"0\": \"O\", \"00\": \"B-PER\"}}", "config.json: id2label: keys \"0\" and \"00\" are both id 0");
    }

    private static void assertMessage(String json, String start) {
        var e = assertThrows(XnerInputException.class, () -> BertConfig.fromJson(json, "config.json"));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void aModelTypeXnerDoesNotBuildIsOneLineNamingTheTypesItKnows() {
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> BertConfig.fromJson("{\"model_type\": \"deberta-v2\", \"hidden_size\": 8}", "hub/config.json"));
        assertEquals("hub/config.json: model_type: unsupported \"deberta-v2\" (xner supports bert, xlm-roberta, roberta, camembert, "
                + "distilbert)", e.getMessage());
    }

    @Test
    void distilBertsKeysReadIntoTheirMeaningsAndCamembertIsRobertas() {
        BertConfig distil = BertConfig.fromJson("{\"model_type\": \"distilbert\", \"dim\": 16, \"n_layers\": 3, \"n_heads\": 4, "
                + "\"hidden_dim\": 32, \"activation\": \"relu\", \"dropout\": 0.2, \"attention_dropout\": 0.3, \"vocab_size\": 50}", "c");
        assertEquals(List.of(16, 3, 4, 32), List.of(distil.hiddenSize(), distil.numHiddenLayers(), distil.numAttentionHeads(),
                distil.intermediateSize()));
        assertEquals("relu", distil.hiddenAct());
        assertEquals(0.2, distil.hiddenDropoutProb());
        assertEquals(0.3, distil.attentionProbsDropoutProb());
        assertEquals(0, distil.padTokenId());
        assertEquals(6, BertConfig.defaults("distilbert").numHiddenLayers());
        assertTrue(distil.isDistilBert() && !distil.isRoberta());
        BertConfig camembert = BertConfig.fromJson("{\"model_type\": \"camembert\"}", "c");
        assertTrue(camembert.isRoberta());
        assertEquals(1, camembert.padTokenId());
    }
}
