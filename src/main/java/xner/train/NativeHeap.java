package xner.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the memory libtorch has freed back to the system. libtorch allocates a step's activations with glibc's
 * malloc, which keeps what is freed in its arenas for the next allocation; after a long batch (micro-batches up to the
 * memory budget) those arenas hold gigabytes that the next long batch, of other shapes, does not all reuse, so the
 * process's resident peak crept up from one long batch to the next (CoNLL-2002 Dutch at 512 tokens: 7.6, 7.9, then
 * 8.7 GB for the same 24 × 512 batch shape). {@code malloc_trim(0)} returns every free page; the pages are faulted in
 * again when used, which is why it runs only around long steps, where that costs a few percent of the step.
 * Elsewhere than glibc (musl, macOS) it does nothing.
 */
final class NativeHeap {
    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private static final C LIBC = load();
    private static final AtomicLong TRIMS = new AtomicLong();

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

    /** How many times {@link #trim} ran in this process: for tests. */
    static long trims() {
        return TRIMS.get();
    }
}
