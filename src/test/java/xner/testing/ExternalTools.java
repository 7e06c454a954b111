package xner.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the outside programs they drive (node and its packages, Chromium), or why they are skipped. */
public final class ExternalTools {
    /** The npm project of client scripts, relative to the project's root (Maven runs tests there). */
    public static final Path NODE_PROJECT = Path.of("src", "test", "node").toAbsolutePath();

    private ExternalTools() {}

    /** {@code node} on the PATH, with the client scripts' packages installed, or the test is skipped. */
    public static Path node() {
        return node("@huggingface/inference");
    }

    /** {@code node} on the PATH with the npm package {@code module} installed in {@link #NODE_PROJECT}, or a skip. */
    public static Path node(String module) {
        Path node = onPath("node");
        assumeTrue(node != null, "skipped: no node on the PATH (apt-get install nodejs npm; .ci/run installs it)");
        assumeTrue(Files.isDirectory(NODE_PROJECT.resolve("node_modules/" + module)),
                "skipped: " + module + " is not installed: run npm ci in " + NODE_PROJECT + " (.ci/run does)");
        return node;
    }

    /** Debian's Chromium and its chromedriver, or the test is skipped. */
    public static Path[] chromium() {
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
