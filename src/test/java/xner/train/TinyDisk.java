package xner.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A small tmpfs to run out of space on; tests that need one are skipped (with the reason) where mount is not allowed. */
final class TinyDisk {
    private TinyDisk() {}

    static void mount(Path dir, String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs to fill up here (needs root): " + out.strip());
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
    }

    /**
     * Fills {@code disk} until a page less than {@code checkpoint}'s two weight files is free: more than the
     * free-space check counts (their data, not their headers), less than another checkpoint takes.
     */
    static void fillLeavingLessThan(Path disk, Path checkpoint) {
        try {
            long leave = Files.size(checkpoint.resolve("model.safetensors")) + Files.size(checkpoint.resolve("optimizer.safetensors")) - 4096;
            long fill = Files.getFileStore(disk).getUsableSpace() - leave;
            try (FileChannel out = FileChannel.open(disk.resolve("filler"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer block = ByteBuffer.allocate(4096);
                for (long written = 0; written + 4096 <= fill; written += 4096) {
                    block.clear();
                    out.write(block);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
