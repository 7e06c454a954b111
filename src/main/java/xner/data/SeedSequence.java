package xner.data;

/**
 * NumPy's {@code SeedSequence}: turns a non-negative integer seed into well-mixed 32-bit words, the first step
 * of {@code numpy.random.default_rng(seed)}. Ported from NumPy's {@code bit_generator.pyx} (O'Neill's
 * seed_seq with a 4-word pool); only the plain entropy case is supported (no spawn key, no pool size
 * other than 4), which is all {@code default_rng(int)} uses.
 *
 * <p>All arithmetic is on unsigned 32-bit words; Java's wrapping {@code int} multiplication and {@code >>>}
 * give exactly C's {@code uint32_t} results.
 */
public final class SeedSequence {
    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final int[] pool = new int[POOL_SIZE];

    /** The sequence for {@code numpy.random.SeedSequence(seed)}; {@code seed} must be >= 0, as NumPy requires. */
    public SeedSequence(long seed) {
        if (seed < 0) throw new IllegalArgumentException("a seed must be >= 0, was " + seed);
        mixEntropy(entropyWords(seed));
    }

    /** The pool, as NumPy's {@code SeedSequence.pool} (unsigned 32-bit words held in ints). */
    public int[] pool() {
        return pool.clone();
    }

    /**
     * {@code generate_state(nWords, np.uint64)}: 2 × nWords 32-bit words drawn from the pool, read in pairs as
     * little-endian 64-bit words, as NumPy's {@code state.view(np.uint64)} reads them.
     */
    public long[] generateState64(int nWords) {
        int[] words = generateState32(2 * nWords);
        long[] out = new long[nWords];
        for (int i = 0; i < nWords; i++) {
            out[i] = (words[2 * i] & 0xffffffffL) | ((long) words[2 * i + 1] << 32);
        }
        return out;
    }

    /** {@code generate_state(nWords, np.uint32)}. */
    public int[] generateState32(int nWords) {
        int hashConst = INIT_B;
        int[] state = new int[nWords];
        for (int i = 0; i < nWords; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            state[i] = value;
        }
        return state;
    }

    /** NumPy's {@code _int_to_uint32_array}: the seed's 32-bit words, least significant first; 0 is one word. */
    private static int[] entropyWords(long seed) {
        int high = (int) (seed >>> 32);
        return high == 0 ? new int[] {(int) seed} : new int[] {(int) seed, high};
    }

    private void mixEntropy(int[] entropy) {
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        // every pool word mixed into every other, so late words affect early ones
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
            }
        }
        for (int src = POOL_SIZE; src < entropy.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
            }
        }
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }
}
