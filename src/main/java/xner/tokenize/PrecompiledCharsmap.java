package xner.tokenize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import xner.XnerInputException;
import xner.io.StrictText;

/**
 * A SentencePiece normalizer's {@code precompiled_charsmap}, checked before the Rust tokenizers library gets it: a
 * 4-byte little-endian trie size, the trie (darts-clone double-array units of 4 bytes), then the replacement texts,
 * UTF-8, each ended by a NUL.
 *
 * <p>The library's reader ({@code spm_precompiled}) looks units up without bounds checks while it normalizes: a unit
 * index past the trie, or a replacement offset past the texts or inside a character, panics in Rust, and a panic under
 * the JNI call aborts the whole JVM (found fuzzing the SentencePiece model: {@code lib.rs:125}, "fatal runtime error",
 * no Java exception). So every lookup normalizing can make is made here first, on the trie as the library walks it:
 * from the root through every unit whose label matches its byte, each of the 255 bytes a text can continue with must
 * index a unit, and each leaf's value must start a replacement. A charsmap that passes cannot make the library index
 * out of bounds; one that does not is refused naming the byte at fault.
 */
final class PrecompiledCharsmap {
    private PrecompiledCharsmap() {}

    /**
     * Refuses {@code charsmap} unless the library can normalize any text with it.
     *
     * @param where what the message starts with: the file and the field ({@code file: precompiled_charsmap})
     * @throws XnerInputException naming {@code where} and the byte of the charsmap at fault
     */
    static void check(byte[] charsmap, String where) {
        if (charsmap.length < 4) throw refused(where, 0, "shorter than its 4-byte trie size");
        ByteBuffer in = ByteBuffer.wrap(charsmap).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = in.getInt() & 0xFFFFFFFFL;
        long units = trieBytes / 4;
        if (units < 1 || 4 + units * 4 > charsmap.length) {
            throw refused(where, 0, "a trie of " + trieBytes + " bytes in " + (charsmap.length - 4) + " bytes");
        }
        int n = (int) units;
        long[] trie = new long[n];
        for (int i = 0; i < n; i++) trie[i] = in.getInt() & 0xFFFFFFFFL;
        int textStart = 4 + n * 4;
        byte[] texts = java.util.Arrays.copyOfRange(charsmap, textStart, charsmap.length);
        try {
            StrictText.utf8(texts);
        } catch (StrictText.NotText e) {
            throw refused(where, textStart + e.offset(), "the replacement texts are not UTF-8");
        }
        // the walk of DoubleArray.common_prefix_search, every byte at every node the library can reach; a node is
        // never read itself, only its children node ^ byte, so one past the trie by less than 256 units may still work
        BitSet seen = new BitSet(n);
        Deque<long[]> nodes = new ArrayDeque<>(); // {node, the unit whose offset led there}
        long root = offset(trie[0]);
        if (root >= n + 0x100L) throw refused(where, 4, "the root unit leads past the trie (" + root + " of " + n + " units)");
        nodes.push(new long[] {root, 0});
        seen.set((int) root);
        while (!nodes.isEmpty()) {
            long[] at = nodes.pop();
            long node = at[0];
            for (int c = 1; c <= 0xFF; c++) {
                long child = node ^ c;
                if (child >= n) {
                    throw refused(where, 4 + 4 * at[1], "unit " + at[1] + " leads to " + node + ", whose byte " + c + " is unit "
                            + child + ", past the trie's " + n + " units");
                }
                long unit = trie[(int) child];
                if (label(unit) != c) continue;
                long next = child ^ offset(unit);
                if (next >= (hasLeaf(unit) ? n : n + 0x100L)) { // a leaf's value is read at next itself
                    throw refused(where, 4 + 4 * child, "unit " + child + " leads past the trie (" + next + " of " + n + " units)");
                }
                if (hasLeaf(unit)) {
                    long value = trie[(int) next] & 0x7FFFFFFFL;
                    boolean startsText = value == texts.length || value < texts.length && (texts[(int) value] & 0xC0) != 0x80;
                    if (!startsText) {
                        throw refused(where, 4 + 4 * next, "unit " + next + " gives the replacement at byte " + value + ", which "
                                + (value > texts.length ? "is past the " + texts.length + " bytes of replacements" : "is inside a character"));
                    }
                }
                if (!seen.get((int) next)) {
                    seen.set((int) next);
                    nodes.push(new long[] {next, child});
                }
            }
        }
    }

    /** darts-clone's unit fields, as {@code spm_precompiled} reads them from a u32. */
    private static long offset(long unit) {
        return (unit >>> 10) << ((unit & (1L << 9)) >>> 6);
    }

    private static long label(long unit) {
        return unit & ((1L << 31) | 0xFF);
    }

    private static boolean hasLeaf(long unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static XnerInputException refused(String where, long byteOffset, String what) {
        return new XnerInputException(where + ", byte " + byteOffset + ": " + what + "; not a SentencePiece normalizer the "
                + "tokenizers library can run");
    }
}
