package xner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages follow the data (docs/architecture.md): each uses only packages of earlier steps, never a later one,
 * so a reader can follow a sentence from a file to an entity without jumping back. Read from the sources, imports and
 * qualified names in code alike (comments and strings left out).
 */
class PackageFlowTest {
    /** The step of each package, as the table of docs/architecture.md gives it. */
    private static final Map<String, Integer> STEP = Map.ofEntries(Map.entry("io", 0), Map.entry("data", 1),
            Map.entry("tokenize", 2), Map.entry("model.weights", 3), Map.entry("model", 3), Map.entry("onnx", 3),
            Map.entry("train", 4), Map.entry("evaluate", 5), Map.entry("infer", 6), Map.entry("serve", 7),
            Map.entry("select", 7), Map.entry("experiment", 8), Map.entry("cli", 9));
    /** Within a step, who builds on whom; and the recipe's one exception: training scores each epoch. */
    private static final Set<String> ALLOWED = Set.of("model -> model.weights", "onnx -> model", "onnx -> model.weights",
            "train -> evaluate");
    private static final Pattern USE = Pattern.compile("\\bxner\\.(model\\.weights|[a-z]+)\\.[A-Z]");

    @Test
    void noPackageUsesALaterStep() throws IOException {
        Path sources = Path.of("src/main/java/xner");
        assertTrue(Files.isDirectory(sources), "run from the module's folder: " + sources.toAbsolutePath());
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
                if (pkg.isEmpty()) continue; // the root: XnerInputException and ExitGate, used by all
                assertTrue(STEP.containsKey(pkg), file + ": package xner." + pkg + " is not in the table of docs/architecture.md");
                int lineNumber = 0;
                for (String line : Files.readAllLines(file)) {
                    lineNumber++;
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) continue;
                    Matcher m = USE.matcher(code.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""));
                    while (m.find()) {
                        String used = m.group(1);
                        if (used.equals(pkg) || !STEP.containsKey(used)) continue;
                        boolean later = STEP.get(used) > STEP.get(pkg) || STEP.get(used).equals(STEP.get(pkg));
                        if (later && !ALLOWED.contains(pkg + " -> " + used)) {
                            upward.add(file.getFileName() + ":" + lineNumber + ": xner." + pkg + " uses xner." + used);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), upward);
    }
}
