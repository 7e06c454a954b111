package xner.data;

/**
 * NumPy's {@code PCG64} bit generator (PCG XSL-RR 128/64, the generator behind {@code default_rng}), with
 * NumPy's buffering of 32-bit draws: a 64-bit output serves two 32-bit draws, low half first.
 *
 * <p>The 128-bit state and increment are kept as pairs of longs; arithmetic is modulo 2<sup>128</sup>.
 * Not thread-safe.
 */
public final class Pcg64 {
    // PCG_DEFAULT_MULTIPLIER_128 = 0x2360ED051FC65DA4_4385DF649FCCF645
    private static final long MULT_HI = 0x2360ED051FC65DA4L;
    private static final long MULT_LO = 0x4385DF649FCCF645L;

    private long stateHi;
    private long stateLo;
    private final long incHi;
    private final long incLo;
    private boolean hasUint32;
    private int uinteger;

    /** {@code numpy.random.PCG64(seed)}: seeded through {@link SeedSequence}, as NumPy does. */
    public Pcg64(long seed) {
        this(new SeedSequence(seed));
    }

    /** {@code numpy.random.PCG64(seedSequence)}: state and stream from four 64-bit words of the sequence. */
    public Pcg64(SeedSequence seq) {
        long[] words = seq.generateState64(4);
        // pcg64_set_seed: initstate = words[0]:words[1], initseq = words[2]:words[3] (high:low)
        long seqHi = words[2];
        long seqLo = words[3];
        incHi = (seqHi << 1) | (seqLo >>> 63);
        incLo = (seqLo << 1) | 1L;
        // pcg_setseq_128_srandom_r: state = 0, step, state += initstate, step
        stateHi = 0;
        stateLo = 0;
        step();
        long lo = stateLo + words[1];
        stateHi = stateHi + words[0] + (Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0);
        stateLo = lo;
        step();
    }

    /** The next 64-bit output ({@code next_uint64}, {@code random_raw}). */
    public long nextLong() {
        step();
        // XSL-RR: xor the halves, rotate right by the top 6 bits of the state
        return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
    }

    /** The next 32-bit output ({@code next_uint32}), as an unsigned value held in an int. */
    public int nextInt() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger;
        }
        long next = nextLong();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return (int) next;
    }

    /** state = state × MULT + inc (mod 2^128). */
    private void step() {
        long lo = stateLo * MULT_LO;
        long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
        long sumLo = lo + incLo;
        stateHi = hi + incHi + (Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0);
        stateLo = sumLo;
    }

    // Math.unsignedMultiplyHigh arrives in Java 18; this is its definition in terms of the signed one.
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
