package xner.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    @Test
    void writesNaNAsPythonDoesAndTextAsItIs() {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("loss", Double.NaN);
        log.put("grad_norm", Double.POSITIVE_INFINITY);
        log.put("token", "<s>");
        assertEquals("{\"loss\":NaN,\"grad_norm\":Infinity,\"token\":\"<s>\"}", JsonOutput.LINE.toJson(log));
        assertEquals("{\n  \"loss\": NaN,\n  \"grad_norm\": Infinity,\n  \"token\": \"<s>\"\n}", JsonOutput.PRETTY.toJson(log));
    }
}
