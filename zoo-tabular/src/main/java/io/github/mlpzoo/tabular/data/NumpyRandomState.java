package io.github.mlpzoo.tabular.data;

/**
 * numpy's legacy {@code np.random.RandomState(seed)} for an integer seed, as far as the TabM preprocessing
 * uses it: the MT19937 stream, {@code random_sample}, {@code normal} and {@code permutation}.
 *
 * <p>Seeding: for an integer seed numpy calls {@code mt19937_seed} (Matsumoto and Nishimura's
 * {@code init_genrand}), not {@code init_by_array}; {@code RandomState(0).get_state()[1][:3]} is
 * {@code [0, 1, 1812433255]}. Doubles take 53 bits from two draws, {@code ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53}.
 * {@code normal(loc, scale)} is {@code loc + scale * gauss}, where {@code gauss} is numpy's {@code legacy_gauss}:
 * the polar Box–Muller method that returns {@code f * x2} and keeps {@code f * x1} for the next call.
 */
final class NumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** {@code RandomState(seed)}; numpy accepts seeds in [0, 2^32). */
    NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("RandomState seed must be in [0, 2^32); got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The next 32-bit output, as an int holding the unsigned bits. */
    int nextInt32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code random_sample()}: a double in [0, 1) with 53 random bits. */
    double randomSample() {
        int a = nextInt32() >>> 5;
        int b = nextInt32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * {@code permutation(n)}: {@code arange(n)} shuffled in place by numpy's legacy Fisher–Yates
     * ({@code _shuffle_raw}: for i = n−1 … 1, swap i with {@code random_interval(i)}, which draws 32-bit values
     * masked to the smallest all-ones mask covering i until one is ≤ i).
     */
    int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation expects n >= 0; got " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int mask = i;
            mask |= mask >>> 1;
            mask |= mask >>> 2;
            mask |= mask >>> 4;
            mask |= mask >>> 8;
            mask |= mask >>> 16;
            int j;
            do {
                j = nextInt32() & mask;
            } while (j > i || j < 0);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    /** {@code normal(loc, scale)}, one draw. */
    double normal(double loc, double scale) {
        return loc + scale * gauss();
    }

    private double gauss() {
        if (hasGauss) {
            hasGauss = false;
            double t = gauss;
            gauss = 0.0;
            return t;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * StrictMath.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    private void twist() {
        int kk;
        int y;
        for (kk = 0; kk < N - M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        pos = 0;
    }
}
