package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.testing.FakeHub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** PAN-X through a local stand-in for the hub that serves Parquet files written by the test. */
class HubPanxTest {
    @TempDir Path dir;
    private FakeHub hub;
    private Path cache;

    @BeforeEach
    void serveGermanPanx() throws IOException {
        cache = dir.resolve("cache");
        hub = new FakeHub();
        serve("train", PanxParquetFixture.DE_TRAIN);
        serve("validation", PanxParquetFixture.DE_DEV);
        serve("test", PanxParquetFixture.DE_DEV.subList(1, 2));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private void serve(String split, List<PanxParquetFixture.Row> rows) throws IOException {
        Path file = PanxParquetFixture.write(dir.resolve("fixture").resolve(split + ".parquet"), rows);
        hub.serve(FakeHub.resolvePath(HubPanx.file("de", split)), Files.readAllBytes(file));
    }

    private HubPanx panx(URI endpoint) {
        return new HubPanx(new HubDownloader(endpoint, cache, null), HubPanx.DEFAULT_REVISION);
    }

    @Test
    void loadsTheThreeSplitsOfALanguage() {
        DatasetDict splits = panx(hub.endpoint()).load("de");

        assertEquals(List.of("train", "validation", "test"), splits.splits());
        assertEquals(List.of(5, 2, 1), splits.splits().stream().map(s -> splits.get(s).size()).toList());
        Sentence first = splits.get("train").get(0);
        assertEquals(List.of("als", "Teil", "der", "Savoyer", "Voralpen", "im", "Osten", "."), first.words());
        assertEquals(List.of("O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O"), first.tags());
        // in huggingface_hub's cache: the snapshot of the commit the hub named
        assertEquals(cache.resolve("datasets--google--xtreme/snapshots/" + FakeHub.COMMIT + "/PAN-X.de/train-00000-of-00001.parquet"),
                first.source().file());
        assertEquals(List.of("B-PER", "I-PER", "I-PER", "I-PER", "O"), splits.get("validation").get(0).tags());
        assertEquals("Jehovas", splits.get("test").get(0).words().get(4));
    }

    @Test
    void aSecondLoadReadsTheCacheWithoutAskingTheHub() {
        List<Sentence> first = panx(hub.endpoint()).load("de").get("train").sentences();
        assertEquals(3, hub.requests.size());

        List<Sentence> again = panx(hub.endpoint()).load("de").get("train").sentences();

        assertEquals(3, hub.requests.size());
        assertEquals(first, again);
    }

    @Test
    void anUnknownLanguageIsA404NamingTheUrlAndTheLocalAlternative() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> panx(hub.endpoint()).load("xx"));

        String url = hub.endpoint() + "/datasets/google/xtreme/resolve/main/PAN-X.xx/train-00000-of-00001.parquet";
        assertTrue(e.getMessage().startsWith(url + ": HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }

    @Test
    void anUnreachableHubNamesTheUrlAndTheLocalAlternative() {
        URI down = URI.create("http://127.0.0.1:" + FakeHub.closedPort());

        XnerInputException e = assertThrows(XnerInputException.class, () -> panx(down).load("de"));

        String url = down + "/datasets/google/xtreme/resolve/main/PAN-X.de/train-00000-of-00001.parquet";
        assertTrue(e.getMessage().startsWith(url + ": cannot connect to the hub"), e.getMessage());
        assertTrue(e.getMessage().contains("offline?"), e.getMessage());
        assertTrue(e.getMessage().contains("point --data-dir at a local copy of PAN-X"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("datasets--google--xtreme")));
    }

    @Test
    void aLanguageCodeMustLookLikeOne() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> panx(hub.endpoint()).load("../de"));
        assertTrue(e.getMessage().startsWith("not a PAN-X language code"), e.getMessage());
        assertEquals(0, hub.requests.size());
    }
}
