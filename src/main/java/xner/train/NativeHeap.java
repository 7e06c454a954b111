package xner.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the memory libtorch has freed back to the system when a step would not fit beside it. libtorch allocates a
 * step's activations with glibc's malloc, which keeps what is freed in its arenas for the next allocation; batches of
 * other shapes do not reuse all of it, so the process's resident size crept up from one large batch to the next
 * (CoNLL-2002 Dutch at 512 tokens: 7.6, 7.9, then 8.7 GB for the same 24 × 512 batch shape; a 24 × 124 batch at 9.0 GB
 * after 350 steps, 8.8 GB resident before it). {@code malloc_trim(0)} returns every free page; the pages are faulted
 * in again when used, which is why it runs only when the resident size and the step's estimate together would pass
 * the budget. Elsewhere than glibc (musl, macOS) it does nothing.
 */
final class NativeHeap {
    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private static final C LIBC = load();
    private static final AtomicLong TRIMS = new AtomicLong();
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_BYTES = 4096; // statm counts pages; x86-64 and arm64 Linux use 4 KB ones

    private NativeHeap() {}

    private static C load() {
        try {
            C c = Native.load("c", C.class);
            c.malloc_trim(0); // the symbol is resolved on first call: fail here, not in a step
            return c;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null; // not glibc
        }
    }

    /** Returns the free pages of malloc's arenas to the system; false where there is no glibc. */
    static boolean trim() {
        if (LIBC == null) return false;
        LIBC.malloc_trim(0);
        TRIMS.incrementAndGet();
        return true;
    }

    /** This process's resident size now (VmRSS, from /proc/self/statm), or 0 where /proc cannot say. */
    static long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(fields[1]) * PAGE_BYTES;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** How many times {@link #trim} ran in this process: for tests. */
    static long trims() {
        return TRIMS.get();
    }
}
