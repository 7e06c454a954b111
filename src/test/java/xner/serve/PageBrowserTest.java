package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import xner.infer.KeywordModel;
import xner.infer.TagPipeline;
import xner.testing.ExternalTools;

/**
 * The page in Debian's headless Chromium, driven by Selenium through chromedriver: type a sentence, press Tag,
 * read the highlighted entities; the screenshot is left in {@code target/page-screenshot.png}.
 */
@Tag("slow")
class PageBrowserTest {
    // Selenium warns that it has no DevTools bindings for this Chromium; this test uses none. (Held in a field:
    // java.util.logging keeps loggers weakly, and a collected one forgets its level.)
    private static final java.util.logging.Logger DEVTOOLS_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    @TempDir Path dir;

    @Test
    void aTypedSentenceComesBackWithOneColouredMarkPerEntity() throws Exception {
        Path[] chromium = ExternalTools.chromium();
        DEVTOOLS_LOG.setLevel(java.util.logging.Level.SEVERE);
        String sentence = "My name is Sylvain and I work at Hugging Face in Brooklyn. Jeff Dean ist bei Google in Zürich 😀";
        try (TagPipeline pipeline = TagPipeline.load(KeywordModel.standard(dir.resolve("model")));
                TagServer server = TagServer.start(pipeline, Settings.DEFAULTS.withAddress("127.0.0.1", 0))) {
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromium[1].toFile())
                    .usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(chromium[0].toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1100,700", "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")));
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get(server.uri().toString());
                assertEquals("xner: named entities", browser.getTitle());
                WebElement box = browser.findElement(By.id("text"));
                box.clear();
                box.sendKeys(sentence.replace(" 😀", "")); // chromedriver types only the basic multilingual plane
                browser.executeScript("arguments[0].value += arguments[1]", box, " 😀");
                browser.findElement(By.id("tag")).click();
                List<WebElement> marks = waitForMarks(browser, 6);

                assertEquals(List.of("PER", "ORG", "LOC", "PER", "ORG", "LOC"), marks.stream().map(m -> m.getAttribute("data-type")).toList());
                assertEquals(List.of("Sylvain", "Hugging Face", "Brooklyn", "Jeff Dean", "Google", "Zürich"),
                        marks.stream().map(m -> m.findElement(By.className("text")).getText()).toList());
                assertEquals(List.of("PER", "ORG", "LOC", "PER", "ORG", "LOC"),
                        marks.stream().map(m -> m.findElement(By.className("label")).getText().strip()).toList());
                for (WebElement m : marks) {
                    assertTrue(m.getAttribute("title").matches(m.getAttribute("data-type") + ": score 0\\.9\\d{3}"), m.getAttribute("title"));
                }
                // one colour per type, the same colour for the same type
                Set<String> colours = new HashSet<>();
                for (WebElement m : marks) colours.add(m.getAttribute("data-type") + " " + m.getCssValue("background-color"));
                assertEquals(3, colours.size(), colours.toString());
                Object shown = browser.executeScript("return Array.from(document.getElementById('result').childNodes)"
                        + ".map(n => n.nodeType === Node.TEXT_NODE ? n.textContent : n.querySelector('.text').textContent).join('')");
                assertEquals(sentence, shown, "the marks and the text between them give back the text typed");
                assertEquals("6 entities", browser.findElement(By.id("status")).getText());

                Path shot = Path.of("target", "page-screenshot.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
                assertTrue(Files.size(shot) > 10_000, "a screenshot with content");
            } finally {
                browser.quit();
            }
        }
    }

    private static List<WebElement> waitForMarks(ChromeDriver browser, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<WebElement> marks = List.of();
        while (System.nanoTime() < deadline) {
            marks = browser.findElements(By.cssSelector("#result mark.entity"));
            if (marks.size() >= count) return marks;
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + count + " marks, found " + marks.size() + "; error line: "
                + browser.findElement(By.id("error")).getText());
    }
}
