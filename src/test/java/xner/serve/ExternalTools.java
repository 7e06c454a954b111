package xner.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests of the service find the outside programs they drive, or why they are skipped. */
final class ExternalTools {
    /** The npm project of client scripts, relative to the project's root (Maven runs tests there). */
    static final Path NODE_PROJECT = Path.of("src", "test", "node").toAbsolutePath();

    private ExternalTools() {}

    /** {@code node} on the PATH, with the client scripts' packages installed, or the test is skipped. */
    static Path node() {
        Path node = onPath("node");
        assumeTrue(node != null, "skipped: no node on the PATH (apt-get install nodejs npm; .ci/run installs it)");
        assumeTrue(Files.isDirectory(NODE_PROJECT.resolve("node_modules/@huggingface/inference")),
                "skipped: @huggingface/inference is not installed: run npm ci in " + NODE_PROJECT + " (.ci/run does)");
        return node;
    }

    /** Debian's Chromium and its chromedriver, or the test is skipped. */
    static Path[] chromium() {
        Path browser = firstExisting("/usr/bin/chromium", "/usr/lib/chromium/chromium");
        Path driver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        assumeTrue(browser != null && driver != null,
                "skipped: no Chromium and chromedriver (apt-get install chromium chromium-driver; .ci/run installs them)");
        return new Path[] {browser, driver};
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static Path firstExisting(String... paths) {
        for (String p : paths) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        return null;
    }
}
