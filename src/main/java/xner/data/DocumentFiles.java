package xner.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * Which files {@code tag --input} reads as documents: a folder's files, recursively, in name order, those whose
 * name matches one of the {@code --include} globs; and whether a single file is a document rather than lines of text.
 */
public final class DocumentFiles {
    /** Names that say "document" when a single file is given; the parser is chosen by content all the same. */
    private static final List<String> EXTENSIONS = List.of(".pdf", ".docx", ".doc", ".odt", ".rtf", ".html", ".htm",
            ".xhtml", ".eml", ".msg");

    private DocumentFiles() {}

    /**
     * The regular files under {@code folder}, recursively, sorted by their path below it; hidden ones (a name starting
     * with a dot, such as a {@code .partial} output) left out; with {@code include} globs (matched against the file
     * name, {@code *.pdf}), only those matching one of them.
     */
    public static List<Path> list(Path folder, List<String> include) {
        List<PathMatcher> matchers = include.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> !hidden(folder.relativize(f)))
                    .filter(f -> matchers.isEmpty() || matchers.stream().anyMatch(m -> m.matches(f.getFileName())))
                    .sorted((a, b) -> folder.relativize(a).toString().compareTo(folder.relativize(b).toString()))
                    .toList();
        } catch (IOException e) {
            throw new XnerInputException(folder + ": cannot list the folder: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new XnerInputException(folder + ": cannot list the folder: " + e.getCause().getMessage());
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /**
     * Whether a single file is a document: its first bytes are a PDF's ({@code %PDF-}), a zip's (DOCX, ODT), an OLE2
     * container's (DOC, MSG) or RTF's ({@code {\rtf}), or its name ends as a document's ({@code .html}, {@code .eml}...).
     */
    public static boolean isDocument(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (EXTENSIONS.stream().anyMatch(name::endsWith)) return true;
        byte[] head = new byte[8];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false; // read as text, which names the error
        }
        return starts(head, n, '%', 'P', 'D', 'F', '-') || starts(head, n, 'P', 'K', 3, 4)
                || starts(head, n, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1) || starts(head, n, '{', '\\', 'r', 't', 'f');
    }

    private static boolean starts(byte[] head, int n, int... magic) {
        if (n < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((head[i] & 0xFF) != magic[i]) return false;
        return true;
    }
}
