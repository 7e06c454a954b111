package xner.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * What a write that must survive needs: room before it starts, and {@code fsync} before the rename that
 * publishes it. A rename is atomic, but without syncing the files first a power cut can publish a folder of
 * empty files; without syncing the folder the rename itself can be lost.
 *
 * <pre>
 *   Durable.writeString(dir.resolve("result.json"), json);       // complete, or the old file (or none): never half
 *   Durable.publish(partial, output);                            // a file written under a temporary name, renamed
 * </pre>
 */
public final class Durable {
    private static final double GB = 1e9;

    private Durable() {}

    /**
     * Refuses to start a write of about {@code bytes} into {@code dir} when its file system has less room, naming
     * the folder, both amounts and {@code what} is written (exit status 2: nothing was written).
     */
    public static void requireSpace(Path dir, long bytes, String what) throws IOException {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return;
        FileStore store = Files.getFileStore(existing);
        requireSpace(dir, bytes, store.getUsableSpace(), what);
    }

    static void requireSpace(Path dir, long bytes, long usable, String what) {
        if (usable < bytes) {
            throw new XnerInputException(String.format("%s: %.2f GB free, but %s needs about %.2f GB; free some space or "
                    + "choose another --output", dir, usable / GB, what, bytes / GB));
        }
    }

    /** Whether {@code e} says the disk (or the quota) is full. */
    public static boolean isNoSpace(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left on device") || m.contains("Disk quota exceeded");
    }

    /**
     * Makes the finished file {@code written} the file {@code target}, replacing what was there: synced, renamed
     * atomically (same folder, or at least the same file system), the folder synced.
     */
    public static void publish(Path written, Path target) throws IOException {
        sync(written);
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncParent(target);
    }

    /**
     * Writes {@code text} (UTF-8) as the whole of {@code file}: under a temporary name beside it, then
     * {@link #publish}ed; the folders are created; after a failure the temporary file is removed.
     */
    public static void writeString(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text);
            publish(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Flushes {@code path} to the disk: a file, or a folder with every file in it (not deeper) and itself. */
    public static void sync(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(path)) {
                files = list.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) syncOne(file, StandardOpenOption.WRITE);
            syncOne(path, StandardOpenOption.READ);
        } else {
            syncOne(path, StandardOpenOption.WRITE);
        }
    }

    /** Flushes the folder that holds {@code path}: what makes a rename into it durable. */
    public static void syncParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) syncOne(parent, StandardOpenOption.READ);
    }

    private static void syncOne(Path path, StandardOpenOption mode) throws IOException {
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        }
    }
}
