package xner.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {
    @Test
    void writeStringReplacesTheWholeFileAndLeavesNoTemporaryOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs/de/result.json");
        Durable.writeString(file, "{\"f1\": 0.5}");
        Durable.writeString(file, "{\"f1\": 0.88}");
        assertEquals("{\"f1\": 0.88}", Files.readString(file));
        assertEquals(List.of(file), files(file.getParent()));
    }

    @Test
    void aWriteThatFailsLeavesTheOldFileAndNoTemporaryOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.md");
        Durable.writeString(file, "old");
        Files.createDirectory(dir.resolve("report.html")); // a folder where the file should go: the rename fails
        assertThrows(IOException.class, () -> Durable.writeString(dir.resolve("report.html"), "new"));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(dir.resolve("report.html"), file), files(dir));
    }

    @Test
    void publishRenamesAFinishedFileOverTheTarget(@TempDir Path dir) throws IOException {
        Path partial = dir.resolve(".out.jsonl.partial");
        Path output = dir.resolve("out.jsonl");
        Files.writeString(output, "stale\n");
        Files.writeString(partial, "{\"text\": \"Berlin\"}\n");
        Durable.publish(partial, output);
        assertFalse(Files.exists(partial));
        assertEquals("{\"text\": \"Berlin\"}\n", Files.readString(output));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
