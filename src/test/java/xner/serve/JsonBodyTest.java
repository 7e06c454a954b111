package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The strict reader of request bodies: RFC 8259 and nothing more, refusals in plain words with an offset. */
class JsonBodyTest {
    static String refusal(String body) {
        HttpError e = assertThrows(HttpError.class, () -> JsonBody.parse(body), body);
        assertEquals(400, e.status());
        String m = e.getMessage();
        assertTrue(m.startsWith("the request body is not JSON: "), m);
        for (String gson : new String[] {"setStrictness", "JsonReader", "gson", "line 1 column", "path $", "MalformedJson", "http"}) {
            assertFalse(m.toLowerCase().contains(gson.toLowerCase()), "no Gson text in: " + m);
        }
        return m.substring("the request body is not JSON: ".length());
    }

    @Test
    void jsonIsReadAsGsonReadsIt() {
        for (String body : new String[] {"{\"inputs\": \"Jeff \\u00fc \\ud83d\\ude00 a\\/b \\\"q\\\" \\\\ \\n\\t\"}",
                " [1, -0.5, 2e10, 3E-2, 0, true, false, null, {}, [], {\"a\": [{\"b\": \"c\"}]}] ", "\"x\"", "-12.5e+3"}) {
            assertEquals(JsonParser.parseString(body), JsonBody.parse(body), body);
        }
        JsonObject o = JsonBody.parse("{\"inputs\": \"\\ud800\"}").getAsJsonObject();
        assertEquals("\ud800", o.get("inputs").getAsString(), "a lone surrogate is legal JSON");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertEquals("the field \"inputs\" appears twice in one object at character 16",
                refusal("{\"inputs\": \"a\", \"inputs\": \"b\"}"));
        assertEquals("the field \"a\" appears twice in one object at character 39",
                refusal("{\"inputs\": \"a\", \"parameters\": {\"a\": 1, \"a\": 2}}"));
    }

    @Test
    void nanAndInfinityAreRefused() {
        assertEquals("NaN and Infinity are not JSON numbers at character 7", refusal("{\"x\": [NaN]}"));
        assertEquals("NaN and Infinity are not JSON numbers at character 6", refusal("{\"x\": Infinity}"));
        assertEquals("NaN and Infinity are not JSON numbers at character 7", refusal("{\"x\": -Infinity}"));
    }

    @Test
    void whatGsonsLenientModeTakesIsRefusedNamingTheOffset() {
        assertEquals("expected a field name in double quotes, found a single quote (JSON strings take double quotes) at character 1",
                refusal("{'inputs': 'x'}"));
        assertEquals("expected ',' or '}' after the value of \"inputs\", found the end of the text at character 14",
                refusal("{\"inputs\": \"x\""));
        assertEquals("something after the JSON value: 't' at character 16", refusal("{\"inputs\": \"x\"} trailing"));
        assertEquals("it is empty", refusal(""));
        assertEquals("it holds only whitespace", refusal(" \n"));
        assertEquals("expected a value (a string, number, object, list, true, false or null), found 'x' at character 11",
                refusal("{\"inputs\": x}"));
        assertEquals("expected a value (a string, number, object, list, true, false or null), found 'T' at character 0", refusal("True"));
        assertEquals("expected a field name in double quotes, found '}' at character 9", refusal("{\"a\": 1, }"));
        assertEquals("expected a value (a string, number, object, list, true, false or null), found ']' at character 4", refusal("[1, ]"));
        assertEquals("a number with a leading zero at character 1", refusal("01"));
        assertEquals("expected a digit after the decimal point, found the end of the text at character 2", refusal("1."));
        assertEquals("a control character (U+000A) inside a string; write it as an escape such as \\n at character 2",
                refusal("\"a\nb\""));
        assertEquals("an unknown escape \\x (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) at character 1", refusal("\"\\x\""));
        assertEquals("\\u must be followed by four hexadecimal digits at character 1", refusal("\"\\u12g4\""));
        assertEquals("a string that is never closed at character 11", refusal("{\"inputs\": \"abc"));
        assertEquals("expected a field name in double quotes, found '/' at character 1", refusal("{/* comment */}"));
        assertEquals("expected a value (a string, number, object, list, true, false or null), found a byte order mark at character 0",
                refusal("\ufeff{}"));
    }

    @Test
    void deepNestingIsRefusedBeforeTheStackOverflows() {
        String deep = "[".repeat(100_000);
        assertEquals("nested deeper than 64 levels at character 64", refusal(deep));
        String ok = "[".repeat(64) + "]".repeat(64);
        JsonElement e = JsonBody.parse(ok);
        assertTrue(e.isJsonArray());
    }

    @Test
    void aBodyThatIsNotUtf8NamesTheByte() {
        byte[] body = "{\"inputs\": \"Z\u00fcrich\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpError e = assertThrows(HttpError.class, () -> PredictRequest.parse(body, Settings.DEFAULTS));
        assertEquals("the request body is not UTF-8: a malformed byte sequence at byte 13", e.getMessage());
    }
}
