package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import xner.data.Offsets;
import xner.data.SpanReader;
import xner.infer.KeywordModel;
import xner.testing.Cli;
import xner.testing.ExternalTools;
import xner.tokenize.PreTokenizedWords;

/**
 * {@code xner annotate} in Debian's headless Chromium, driven by Selenium with real mouse drags, clicks and key
 * presses: characters selected inside words become a whole-word entity of the type a number key names, an entity is
 * clicked away, another's type changed, a change and a decision undone, texts accepted, skipped and rejected; the
 * output is read back by {@link SpanReader} with the model's words. The screenshot is left in
 * {@code target/annotate-screenshot.png}.
 */
@Tag("slow")
class AnnotatePageBrowserTest {
    private static final java.util.logging.Logger DEVTOOLS_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");
    private static final String FIRST = "Jeff Dean ist ein Informatiker bei Google in Kalifornien.";
    private static final String SECOND = "Sylvain work at Hugging Face in Brooklyn.";

    @TempDir Path dir;

    @Test
    void selectionsNumberKeysClicksAndEnterMakeTheRecordsTrainReads() throws Exception {
        Path[] chromium = ExternalTools.chromium();
        DEVTOOLS_LOG.setLevel(java.util.logging.Level.SEVERE);
        Path model = KeywordModel.standard(dir.resolve("model"));
        Path batch = dir.resolve("batch.jsonl");
        Files.write(batch, List.of(
                "{\"text\": \"" + FIRST + "\", \"entities\": [{\"entity_group\": \"PER\", \"start\": 0, \"end\": 9, \"word\": \"Jeff Dean\"}]}",
                "{\"text\": \"" + SECOND + "\"}", // no entities: the model's
                "{\"text\": \"My name is Müller.\", \"entities\": []}"));
        Path out = dir.resolve("annotated.jsonl");
        Cli.Background annotating = Cli.start("annotate", "--model", model.toString(), "--input", batch.toString(), "--output",
                out.toString(), "--port", "0");
        String page = address(annotating);
        ChromeDriver browser = browser(chromium);
        try {
            browser.get(page);
            assertEquals("xner: annotate", browser.getTitle());
            await(browser, () -> shown(browser).equals(FIRST), "the first text");
            assertEquals(List.of("PER Jeff Dean"), entities(browser));
            assertEquals("batch.jsonl, line 1", browser.findElement(By.id("source")).getText());

            // "oogl" dragged inside "Google", then 2: the whole word is an ORG
            int google = FIRST.indexOf("Google");
            drag(browser, google + 1, google + 5);
            await(browser, () -> !browser.findElements(By.cssSelector("#view mark.pending")).isEmpty(), "a pending selection");
            assertEquals("Google", browser.findElement(By.cssSelector("#view mark.pending .text")).getText());
            keys(browser, "2");
            await(browser, () -> entities(browser).contains("ORG Google"), "Google an ORG");
            // from inside "in" to inside "Kalifornien", then 3: "in Kalifornien" is a LOC; undo, and "ifor" alone is
            int kalifornien = FIRST.indexOf("Kalifornien");
            drag(browser, kalifornien - 3, kalifornien + 3);
            keys(browser, "3");
            await(browser, () -> entities(browser).contains("LOC in Kalifornien"), "a LOC");
            keys(browser, "u");
            await(browser, () -> entities(browser).equals(List.of("PER Jeff Dean", "ORG Google")), "the LOC undone");
            drag(browser, kalifornien + 2, kalifornien + 6);
            keys(browser, "3");
            // a click on Jeff Dean's × deletes it; u brings it back
            browser.findElement(By.cssSelector("#view mark.entity[data-start='0'] .delete")).click();
            await(browser, () -> entities(browser).equals(List.of("ORG Google", "LOC Kalifornien")), "Jeff Dean deleted");
            keys(browser, "u");
            await(browser, () -> entities(browser).equals(List.of("PER Jeff Dean", "ORG Google", "LOC Kalifornien")), "Jeff Dean back");
            Path shot = Path.of("target", "annotate-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
            keys(browser, Keys.ENTER);

            // the second text comes with the model's entities: Brooklyn clicked and made a PER, Hugging Face clicked away
            await(browser, () -> shown(browser).equals(SECOND), "the second text");
            assertEquals(List.of("PER Sylvain", "ORG Hugging Face", "LOC Brooklyn"), entities(browser));
            assertEquals(1, Files.readAllLines(out).size(), "the accepted text is on disk");
            browser.findElement(By.cssSelector("#view mark.entity[data-type='LOC'] .text")).click();
            await(browser, () -> !browser.findElements(By.cssSelector("#view mark.entity.selected")).isEmpty(), "Brooklyn selected");
            keys(browser, "1");
            browser.findElement(By.cssSelector("#view mark.entity[data-type='ORG'] .delete")).click();
            await(browser, () -> entities(browser).equals(List.of("PER Sylvain", "PER Brooklyn")), "the second text corrected");
            // skipped, then the skip undone: the text comes back as it was decided, and is accepted
            keys(browser, "s");
            await(browser, () -> shown(browser).startsWith("My name"), "the third text");
            assertEquals(2, Files.readAllLines(out).size());
            keys(browser, "u");
            await(browser, () -> shown(browser).equals(SECOND), "the second text again");
            assertEquals(List.of("PER Sylvain", "PER Brooklyn"), entities(browser));
            assertEquals(1, Files.readAllLines(out).size(), "the skip is taken out of the file");
            keys(browser, Keys.ENTER);
            await(browser, () -> shown(browser).startsWith("My name"), "the third text");
            keys(browser, "x");
            await(browser, () -> shown(browser).startsWith("All 3 texts are decided"), "the end");
            String progress = browser.findElement(By.id("progress")).getText();
            assertTrue(progress.startsWith("3 / 3 done (2 accepted, 1 rejected, 0 skipped) · "), progress);
            assertTrue(progress.endsWith(" an hour"), progress);
            assertEquals("3", browser.findElement(By.id("bar")).getAttribute("value"));
            assertEquals("", browser.findElement(By.id("error")).getText());
        } finally {
            browser.quit();
            annotating.thread().interrupt();
            annotating.thread().join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(0, annotating.exit(), annotating.err());
        assertTrue(annotating.err().contains("3 of 3 texts decided (2 accepted, 1 rejected, 0 skipped)"), annotating.err());

        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertEquals(List.of("accept", "accept", "reject"),
                lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject().get("answer").getAsString()).toList());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(1, first.getAsJsonObject("_batch").get("line").getAsInt());
        try (PreTokenizedWords words = new PreTokenizedWords(() -> model)) {
            SpanReader.AnnotatedTexts read = SpanReader.read(out, StandardCharsets.UTF_8, Offsets.UTF_16, words);
            assertEquals(2, read.sentences().size());
            assertEquals(1, read.rejected());
            assertEquals(List.of("B-PER", "I-PER", "O", "O", "O", "O", "B-ORG", "O", "B-LOC", "O"), read.sentences().get(0).tags());
            assertEquals(List.of("B-PER", "O", "O", "O", "O", "O", "B-PER", "O"), read.sentences().get(1).tags());
        }
    }

    /**
     * Two tabs on one page: each is handed its own text; when only one text is left both get it, the second Enter is
     * refused (409) and that tab moves on; every text has one record.
     */
    @Test
    void twoTabsNeverWriteOneTextTwice() throws Exception {
        Path[] chromium = ExternalTools.chromium();
        DEVTOOLS_LOG.setLevel(java.util.logging.Level.SEVERE);
        Path model = KeywordModel.standard(dir.resolve("model"));
        Path batch = Files.write(dir.resolve("batch.txt"), List.of("Jeff Dean ist in Zürich.", "Google in Genève.", "Sylvain in Brooklyn."));
        Path out = dir.resolve("annotated.jsonl");
        Cli.Background annotating = Cli.start("annotate", "--model", model.toString(), "--input", batch.toString(), "--output",
                out.toString(), "--port", "0");
        String page = address(annotating);
        ChromeDriver browser = browser(chromium);
        try {
            browser.get(page);
            String a = browser.getWindowHandle();
            await(browser, () -> shown(browser).startsWith("Jeff"), "the first text in tab a");
            assertEquals(List.of("PER Jeff Dean", "LOC Zürich"), entities(browser), "the model's pre-annotation of a text line");
            browser.switchTo().newWindow(WindowType.TAB);
            String b = browser.getWindowHandle();
            browser.get(page);
            await(browser, () -> shown(browser).startsWith("Google"), "the second text in tab b");
            keys(browser, Keys.ENTER);
            await(browser, () -> shown(browser).startsWith("Sylvain"), "the third text in tab b");
            browser.switchTo().window(a);
            keys(browser, Keys.ENTER);
            await(browser, () -> shown(browser).startsWith("Sylvain"), "the third text in tab a too: nothing else is left");
            browser.switchTo().window(b);
            keys(browser, Keys.ENTER);
            await(browser, () -> shown(browser).startsWith("All 3 texts are decided"), "tab b done");
            browser.switchTo().window(a);
            keys(browser, Keys.ENTER);
            await(browser, () -> shown(browser).startsWith("All 3 texts are decided"), "tab a done");
            assertTrue(browser.findElement(By.id("status")).getText().contains("has been decided already"),
                    browser.findElement(By.id("status")).getText());
        } finally {
            browser.quit();
            annotating.thread().interrupt();
            annotating.thread().join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(0, annotating.exit(), annotating.err());
        List<Integer> lines = Files.readAllLines(out).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject().getAsJsonObject("_batch").get("line").getAsInt()).sorted().toList();
        assertEquals(List.of(1, 2, 3), lines);
    }

    /** The page's address, once {@code annotate} says it listens. */
    private static String address(Cli.Background annotating) throws InterruptedException {
        Pattern serving = Pattern.compile("annotating at (http://127\\.0\\.0\\.1:\\d+/)");
        annotating.awaitErr(serving);
        Matcher m = serving.matcher(annotating.err());
        assertTrue(m.find(), annotating.err());
        return m.group(1);
    }

    private ChromeDriver browser(Path[] chromium) throws java.io.IOException {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromium[1].toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(chromium[0].toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1100,700", "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")));
        return new ChromeDriver(service, options);
    }

    /** The text as the page shows it: its pieces, without the entities' labels and buttons. */
    private static String shown(ChromeDriver browser) {
        Object text = browser.executeScript("const v = document.getElementById('view');"
                + "return v.querySelector('.piece') ? Array.from(v.querySelectorAll('.piece')).map(p => p.textContent).join('') : v.textContent");
        return (String) text;
    }

    /** The entities shown, "TYPE words", in text order. */
    private static List<String> entities(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#view mark.entity")).stream()
                .map(e -> e.getAttribute("data-type") + " " + e.findElement(By.className("text")).getText()).toList();
    }

    /** A real mouse drag from the middle of character {@code from} to the middle of character {@code to} of the text. */
    @SuppressWarnings("unchecked")
    private static void drag(ChromeDriver browser, int from, int to) {
        String script = "const at = arguments[0];"
                + "for (const p of document.querySelectorAll('#view .piece')) {"
                + "  const s = Number(p.dataset.start), e = Number(p.dataset.end);"
                + "  if (s <= at && at < e) { const r = document.createRange(); r.setStart(p.firstChild, at - s);"
                + "    r.setEnd(p.firstChild, at - s + 1); const b = r.getBoundingClientRect();"
                + "    return {x: Math.round(b.left + b.width / 2), y: Math.round(b.top + b.height / 2)}; } }"
                + "return null;";
        Map<String, Long> a = (Map<String, Long>) browser.executeScript(script, from);
        Map<String, Long> b = (Map<String, Long>) browser.executeScript(script, to);
        new Actions(browser).moveToLocation(a.get("x").intValue(), a.get("y").intValue()).clickAndHold()
                .moveToLocation(b.get("x").intValue(), b.get("y").intValue()).release().perform();
    }

    private static void keys(ChromeDriver browser, CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    private static void await(ChromeDriver browser, Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("waited in vain for " + what + "; shown: " + shown(browser) + "; entities: " + entities(browser)
                + "; error line: " + browser.findElement(By.id("error")).getText());
    }
}
