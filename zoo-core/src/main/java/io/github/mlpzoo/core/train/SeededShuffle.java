package io.github.mlpzoo.core.train;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A fresh random permutation of the dataset per pass, drawn from its own {@code Random(seed)}: pass k's order
 * depends only on the seed and k. (DJL's {@code RandomSampler} draws from the engine-wide generator instead.)
 */
final class SeededShuffle implements Sampler.SubSampler {

    private final Random random;

    SeededShuffle(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public Iterator<Long> sample(RandomAccessDataset dataset) {
        int n = Math.toIntExact(dataset.size());
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Long next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                return order[next++];
            }
        };
    }
}
