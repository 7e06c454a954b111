package xner.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/** One strict JSON value per line, refused in plain words: what JSON Lines readers of xner accept. */
class StrictJsonTest {
    @Test
    void strictJsonIsReadWithItsNumbersAsWritten() {
        assertEquals("{\"text\":\"Jeff\",\"n\":1e5,\"a\":[true,null,-0.5]}",
                StrictJson.parse(" {\"text\": \"Jeff\", \"n\": 1e5, \"a\": [true, null, -0.5]} ").toString());
    }

    @Test
    void unquotedNamesAreRefusedSayingWhatWasFound() {
        assertEquals("malformed at column 3 (path $): the unquoted word \"text\": JSON names and strings take double quotes "
                + "(the only bare words are true, false and null)", refused("{text: \"x\"}"));
    }

    @Test
    void singleQuotesAreRefused() {
        assertEquals("malformed at column 10 (path $.text): a single quote: JSON names and strings take double quotes",
                refused("{\"text\":'x'}"));
    }

    @Test
    void nanAndInfinityAreRefused() {
        assertTrue(refused("{\"text\":\"x\",\"n\":NaN}").endsWith("(path $.n): NaN: JSON has no NaN or Infinity (write null or a string)"));
        assertTrue(refused("{\"n\":-Infinity}").endsWith(": -Infinity: JSON has no NaN or Infinity (write null or a string)"));
    }

    /**
     * Gson quotes the four characters after a bad {@code \\u}: a line break among them cut the message there, before
     * its location (found fuzzing the request body).
     */
    @Test
    void aBadUnicodeEscapeIsRefusedInOneLineWithItsColumn() {
        assertEquals("Malformed Unicode escape \\u00e\\n at column 15 (path $.inputs)", refused("{\"inputs\": \"\\u00e\nx\"}"));
        assertEquals("Malformed Unicode escape \\u00e\\r at column 15 (path $.inputs)", refused("{\"inputs\": \"\\u00e\rx\"}"));
    }

    @Test
    void aNameTwiceInOneObjectIsRefused() {
        assertEquals("duplicate name at column 20 (path $.text): the name \"text\" twice in one object",
                refused("{\"text\":\"a\", \"text\":\"b\"}"));
        StrictJson.parse("{\"a\": {\"text\": 1}, \"text\": 2}"); // the same name in another object is another name
    }

    @Test
    void textAfterTheValueIsRefused() {
        assertEquals("malformed at column 15 (path $): more text after the JSON value (one value per line)",
                refused("{\"text\":\"x\"} 5"));
    }

    @Test
    void commentsTrailingCommasAndEndOfInputAreSaidInWords() {
        assertTrue(refused("{\"a\":1} // note").endsWith(": more text after the JSON value (one value per line)"));
        assertTrue(refused("[1,]").endsWith(": a comma before \"]\""), refused("[1,]"));
        assertEquals("End of input at column 9 (path $.a[1])", refused("{\"a\": [1"));
        assertTrue(refused("{\"a\":\"\t\"}").contains("a control character (U+0000 to U+001F) in a string"));
    }

    @Test
    void noMessageSpeaksOfGsonOrOfLineOne() {
        for (String bad : new String[] {"{text:'x'}", "{\"a\":NaN}", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "{\"a\" 1}", "{", "",
                "{\"a\":\"x\\q\"}", "{\"a\":01}"}) {
            String m = refused(bad);
            for (String gson : new String[] {"setStrictness", "Strictness", "LENIENT", "gson", "Troubleshooting", "line 1", "\n"}) {
                assertFalse(m.contains(gson), bad + " => " + m);
            }
        }
    }

    private static String refused(String line) {
        return assertThrows(XnerInputException.class, () -> StrictJson.parse(line)).getMessage();
    }

    @Test
    void deepNestingIsRefusedBeforeTheStackOverflows() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> StrictJson.parse("[".repeat(100_000)));
        assertEquals("nested deeper than 64 levels at column 66", e.getMessage());
        assertTrue(StrictJson.parse("[".repeat(64) + "]".repeat(64)).isJsonArray());
    }

    @Test
    void aLocationPastTheFirstLineGivesLineAndColumn() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> StrictJson.parse("{\n \"a\": 1,\n \"a\": 2\n}"));
        assertTrue(e.getMessage().startsWith("duplicate name at line 3, column "), e.getMessage());
        assertEquals("\ud800", StrictJson.parse("{\"inputs\": \"\\ud800\"}").getAsJsonObject().get("inputs").getAsString(),
                "a lone surrogate is legal JSON");
    }

    /** Files: as strict as a line, but for the NaN and Infinity that Python's json and JsonOutput write for a NaN loss. */
    @Test
    void aFileTakesPythonsNanAndInfinityAsValuesOnly() {
        JsonObject o = StrictJson.parseObject("{\"loss\": NaN, \"up\": Infinity,\n \"down\": [-Infinity], \"s\": \"NaN\"}", "state.json");
        assertTrue(Double.isNaN(o.get("loss").getAsDouble()));
        assertEquals(Double.POSITIVE_INFINITY, o.get("up").getAsDouble());
        assertEquals(Double.NEGATIVE_INFINITY, o.getAsJsonArray("down").get(0).getAsDouble());
        assertEquals("NaN", o.get("s").getAsString(), "a string stays a string");
        assertEquals("{\"a\": 1-Infinity}", StrictJson.maskPythonNumbers("{\"a\": 1-Infinity}"), "only where a value starts");
        assertEquals("{\"a\": \"\\\"NaN\", \"b\": 0  }", StrictJson.maskPythonNumbers("{\"a\": \"\\\"NaN\", \"b\": NaN}"),
                "an escaped quote does not end the string");
    }

    @Test
    void aFileThatIsNotStrictJsonIsRefusedNamingItAndTheColumn() {
        assertEquals("config.json: not valid JSON: malformed at column 22 (path $.b): the unquoted word \"tru\": JSON names and "
                + "strings take double quotes (the only bare words are true, false and null)",
                assertThrows(XnerInputException.class, () -> StrictJson.parseObject("{\"a\": Infinity, \"b\": tru}", "config.json"))
                        .getMessage());
        assertTrue(assertThrows(XnerInputException.class, () -> StrictJson.parseObject("{\"a\": 1, \"a\": 2}", "c.json"))
                .getMessage().startsWith("c.json: not valid JSON: duplicate name at column "));
        assertEquals("c.json: not valid JSON: malformed at column 7 (path $.a): the number 1, not written as JSON writes numbers",
                assertThrows(XnerInputException.class, () -> StrictJson.parseObject("{\"a\": 1-Infinity}", "c.json")).getMessage());
        assertEquals("c.json: expected a JSON object, found an array",
                assertThrows(XnerInputException.class, () -> StrictJson.parseObject("[1]", "c.json")).getMessage());
    }

    @Test
    void aFileNotInUtf8IsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trainer_state.json");
        Files.write(file, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'});
        String message = assertThrows(XnerInputException.class, () -> StrictJson.readObject(file)).getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        Files.writeString(file, "{\"epochsDone\": 2}");
        assertEquals(2, StrictJson.readObject(file).get("epochsDone").getAsInt());
    }
}
