package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

class LocalPanxTest {
    @TempDir Path dir;

    @Test
    void readsPanxLangFoldersWithDevAsValidation() throws IOException {
        language(dir.resolve("panx/de"), "de", "test");
        DatasetDict de = new LocalPanx(dir).load("de");
        assertEquals(List.of("train", "validation", "test"), de.splits());
        assertEquals(List.of("dev"), de.get("validation").get(0).words());
        assertEquals(List.of("B-LOC"), de.get("test").get(0).tags());
        assertTrue(de.notes().isEmpty());
    }

    @Test
    void acceptsLanguageFoldersDirectlyUnderTheDataFolder() throws IOException {
        language(dir.resolve("fr"), "fr", "test");
        assertEquals(3, new LocalPanx(dir).load("fr").splits().size());
        assertEquals(List.of("fr"), new LocalPanx(dir).languages());
    }

    @Test
    void untaggedTestLeavesNoTestSplitAndSaysWhy() throws IOException {
        Path it = language(dir.resolve("panx/it"), "it", "test.untagged");
        DatasetDict d = new LocalPanx(dir).load("it");
        assertEquals(List.of("train", "validation"), d.splits());
        assertEquals("PAN-X.it test has no gold tags (only " + it.resolve("test.untagged") + ")", d.note("test").orElseThrow());
        XnerInputException e = assertThrows(XnerInputException.class, () -> d.get("test"));
        assertTrue(e.getMessage().contains("no gold tags"), e.getMessage());
    }

    @Test
    void missingDataFolderIsRefused() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> new LocalPanx(dir.resolve("nowhere")));
        assertTrue(e.getMessage().startsWith(dir.resolve("nowhere") + ": no such folder"), e.getMessage());
    }

    @Test
    void missingLanguageNamesTheLanguagesPresent() throws IOException {
        language(dir.resolve("panx/de"), "de", "test");
        XnerInputException e = assertThrows(XnerInputException.class, () -> new LocalPanx(dir).load("sw"));
        assertTrue(e.getMessage().startsWith("no PAN-X.sw under " + dir) && e.getMessage().endsWith("languages there: de)"),
                e.getMessage());
    }

    @Test
    void languageCodeThatIsAPathIsRefused() {
        assertThrows(XnerInputException.class, () -> new LocalPanx(dir).load("../etc"));
    }

    @Test
    void missingDevIsRefusedNamingTheFile() throws IOException {
        Path de = language(dir.resolve("de"), "de", "test");
        Files.delete(de.resolve("dev"));
        XnerInputException e = assertThrows(XnerInputException.class, () -> new LocalPanx(dir).load("de"));
        assertEquals(de.resolve("dev") + ": no such file", e.getMessage());
    }

    @Test
    void missingTestWithoutUntaggedFileIsRefused() throws IOException {
        Path de = language(dir.resolve("de"), "de", "test");
        Files.delete(de.resolve("test"));
        assertThrows(XnerInputException.class, () -> new LocalPanx(dir).load("de"));
    }

    /** A tiny PAN-X language folder: train, dev and a test file named {@code testName}. */
    private static Path language(Path folder, String lang, String testName) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("train"), lang + ":train\tO\n\n" + lang + ":Bonn\tB-LOC\n");
        Files.writeString(folder.resolve("dev"), lang + ":dev\tO\n");
        Files.writeString(folder.resolve(testName), testName.equals("test") ? lang + ":Köln\tB-LOC\n" : lang + ":Köln\n");
        return folder;
    }
}
