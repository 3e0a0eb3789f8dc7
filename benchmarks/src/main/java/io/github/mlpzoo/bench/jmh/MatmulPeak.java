package io.github.mlpzoo.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.Engines;

import java.util.Arrays;

/**
 * The machine's float32 matrix-multiply throughput measured through the same engine the models use (DJL's
 * PyTorch, at the current intra-op thread count): {@code n×n · n×n} products, {@code 2n³} FLOPs each. Issue 9
 * compares the large-batch inference of the largest vision variant against it (MACs × samples/s ÷ peak MAC/s).
 */
public final class MatmulPeak {

    private MatmulPeak() {}

    /**
     * The median GFLOP/s over {@code runs} timed runs of about {@code seconds} each, after a warm-up of the same
     * length; returns {@code [median, min, max]}.
     */
    public static double[] gflops(int n, int runs, double seconds) {
        if (n < 1 || runs < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("expected n >= 1, runs >= 1, seconds > 0; got " + n + ", " + runs + ", " + seconds);
        }
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            long start = System.nanoTime();
            int calls = 0;
            while (calls < 2 || System.nanoTime() - start < seconds * 1e9) {
                a.matMul(b).close();
                calls++;
            }
            double perCall = (System.nanoTime() - start) / 1e9 / calls;
            int k = (int) Math.max(1, Math.round(seconds / perCall));
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                for (int i = 0; i < k; i++) {
                    a.matMul(b).close();
                }
                rates[r] = 2.0 * n * n * (double) n * k / ((System.nanoTime() - s) / 1e9) / 1e9;
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
            return new double[] {median, sorted[0], sorted[runs - 1]};
        }
    }
}
