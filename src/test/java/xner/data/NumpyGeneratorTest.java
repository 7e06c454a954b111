package xner.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NumPy's {@code default_rng(seed).permutation(n)} reproduced bit for bit. Golden values were made with
 * NumPy 2.4.6; the command that made each table is beside it (the permutation table's in its file header).
 */
class NumpyGeneratorTest {

    // python3 -c "import numpy as np;[print(s,[hex(x) for x in np.random.SeedSequence(s).pool]) for s in (0,42,2**40+7)]"
    @Test
    void seedSequencePoolMatchesNumpy() {
        assertArrayEquals(new int[] {0xfe40eb07, 0x4f363a36, 0x4eb2009d, 0xc89a7aa7}, new SeedSequence(0).pool());
        assertArrayEquals(new int[] {0x631d3606, 0x07ae90ae, 0x6fc4be28, 0x2ced5c75}, new SeedSequence(42).pool());
        // two entropy words: 2**40 + 7 = [7, 256]
        assertArrayEquals(new int[] {0xcef14fb5, 0x8e3f6082, 0xb865038b, 0x6aed4368},
                new SeedSequence((1L << 40) + 7).pool());
    }

    // python3 -c "import numpy as np;print([hex(x) for x in np.random.SeedSequence(0).generate_state(4, np.uint64)])"
    @Test
    void seedSequenceStateMatchesNumpy() {
        assertArrayEquals(new long[] {0xdb2cd7e7b0f478beL, 0xabf4641a2c71ba49L, 0x20c6ed6d9d7b8d41L, 0x2c4099de223c39d4L},
                new SeedSequence(0).generateState64(4));
    }

    // python3 -c "import numpy as np;[print(s,[hex(x) for x in np.random.PCG64(s).random_raw(3)]) for s in (0,42,2**40+7)]"
    @Test
    void pcg64RawOutputMatchesNumpy() {
        assertRaw(0, 0xa30febcfd9c2825fL, 0x4510bdf882d9d721L, 0x0a7d3da94ecde8b8L);
        assertRaw(42, 0xc621fbcd16d92688L, 0x705a5661a791ffc1L, 0xdbcd12c26eda1624L);
        assertRaw((1L << 40) + 7, 0xd46e9e2034de21aaL, 0x415badc99c087675L, 0x275ed40f045acb84L);
    }

    @Test
    void thirtyTwoBitDrawsSplitOneOutputLowHalfFirst() {
        long raw = new Pcg64(0).nextLong();
        Pcg64 bits = new Pcg64(0);
        assertEquals((int) raw, bits.nextInt());
        assertEquals((int) (raw >>> 32), bits.nextInt());
        assertEquals(0x4510bdf882d9d721L, bits.nextLong() & 0xffffffffffffffffL);
    }

    @Test
    void permutationMatchesNumpyGoldens() throws IOException {
        List<String[]> rows = goldens();
        assertEquals(28, rows.size(), "4 seeds x 7 sizes");
        for (String[] row : rows) {
            long seed = Long.parseLong(row[0]);
            int n = Integer.parseInt(row[1]);
            int[] p = new NumpyGenerator(seed).permutation(n);
            String where = "seed " + seed + ", n " + n;
            assertEquals(n, p.length, where);
            assertArrayEquals(ints(row[3]), Arrays.copyOfRange(p, 0, Math.min(20, n)), where + ": first 20");
            assertArrayEquals(ints(row[4]), Arrays.copyOfRange(p, Math.max(0, n - 20), n), where + ": last 20");
            assertEquals(row[2], String.format("%016x", checksum(p)), where + ": checksum");
            assertTrue(isPermutation(p), where);
        }
    }

    @Test
    void negativeSeedIsRejectedAsNumpyDoes() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyGenerator(-1));
    }

    @Test
    void randomIntervalStaysWithinBoundsBeyondThirtyTwoBits() {
        NumpyGenerator g = new NumpyGenerator(7);
        long max = (1L << 40) + 3;
        for (int i = 0; i < 1000; i++) {
            long v = g.randomInterval(max);
            assertTrue(v >= 0 && v <= max, "value " + v);
        }
        assertEquals(0, g.randomInterval(0));
    }

    /** The golden file's checksum: h = h * 1000003 + v over the permutation, modulo 2^64 (Java's long wraps). */
    static long checksum(int[] p) {
        long h = 0;
        for (int v : p) h = h * 1000003 + v;
        return h;
    }

    private static void assertRaw(long seed, long... expected) {
        Pcg64 bits = new Pcg64(seed);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], bits.nextLong(), "seed " + seed + " draw " + i);
    }

    private static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) return false;
            seen[v] = true;
        }
        return true;
    }

    private static int[] ints(String csv) {
        return csv.isEmpty() ? new int[0] : Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static List<String[]> goldens() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                NumpyGeneratorTest.class.getResourceAsStream("numpy-permutations.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("#")) rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }
}
