package xner.data;

/**
 * NumPy's {@code Generator} over {@link Pcg64}, as far as Hugging Face {@code datasets} uses it:
 * {@code Dataset.shuffle(seed=S)} is {@code numpy.random.default_rng(S).permutation(len(dataset))}, and
 * {@link #permutation(int)} returns that permutation bit for bit.
 *
 * <pre>
 *   int[] order = new NumpyGenerator(42).permutation(10);   // np.random.default_rng(42).permutation(10)
 * </pre>
 */
public final class NumpyGenerator {
    private final Pcg64 bits;

    /** {@code numpy.random.default_rng(seed)}; {@code seed} must be >= 0. */
    public NumpyGenerator(long seed) {
        this.bits = new Pcg64(seed);
    }

    public NumpyGenerator(Pcg64 bits) {
        this.bits = bits;
    }

    /** {@code permutation(n)}: {@code 0..n-1} shuffled by {@link #shuffle(int[])}. */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        int[] values = new int[n];
        for (int i = 0; i < n; i++) values[i] = i;
        shuffle(values);
        return values;
    }

    /**
     * {@code shuffle(x)} for a 1-d array, in place: NumPy's {@code _shuffle_raw}, a Fisher–Yates pass from the
     * last index down to 1, each swap partner drawn by {@link #randomInterval(long)}.
     */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int swap = values[j];
            values[j] = values[i];
            values[i] = swap;
        }
    }

    /**
     * NumPy's {@code random_interval(max)}: a uniform value in [0, max] by masked rejection sampling: draws
     * are masked to the smallest all-ones mask covering {@code max} and redrawn while above it; 32-bit draws
     * when {@code max} fits in 32 bits, 64-bit draws otherwise.
     */
    public long randomInterval(long max) {
        if (max < 0) throw new IllegalArgumentException("max must be >= 0, was " + max);
        if (max == 0) return 0;
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            do {
                value = (bits.nextInt() & 0xffffffffL) & mask;
            } while (value > max);
        } else {
            do {
                value = bits.nextLong() & mask;
            } while (Long.compareUnsigned(value, max) > 0);
        }
        return value;
    }
}
