package io.github.mlpzoo.core.train;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Batches for an ensemble whose k members train on their own rows (TabM's {@code share_training_batches=False},
 * {@code yandex-research/tabm} {@code paper/bin/model.py}): every epoch draws k independent permutations of the n
 * training rows, cuts each into batches of B (the last one shorter), and batch t holds, for i in the batch and
 * j = 0..k-1, row {@code perm_j[t·B + i]} at position {@code i·k + j} (the official
 * {@code rand(k, n).argsort(1).split(B, 1)}, then {@code transpose(0, 1).flatten()}). So the model sees B·k rows,
 * member j of row i gets row {@code i·k + j}; an epoch has ⌈n / B⌉ steps, as with shared batches. The permutations
 * come from a seeded {@link Random} (the official code uses torch's generator).
 */
final class IndependentBatchSampler implements Sampler {

    private final Random random;
    private final int batchSize;
    private final int k;

    IndependentBatchSampler(long seed, int batchSize, int k) {
        if (batchSize < 1 || k < 1) {
            throw new IllegalArgumentException("batch size and k must be >= 1; got " + batchSize + ", " + k);
        }
        this.random = new Random(seed);
        this.batchSize = batchSize;
        this.k = k;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int n = Math.toIntExact(dataset.size());
        int[][] perms = new int[k][];
        for (int j = 0; j < k; j++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int r = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[r];
                order[r] = t;
            }
            perms[j] = order;
        }
        return new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public List<Long> next() {
                if (start >= n) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(n, start + batchSize);
                List<Long> batch = new ArrayList<>((end - start) * k);
                for (int i = start; i < end; i++) {
                    for (int j = 0; j < k; j++) {
                        batch.add((long) perms[j][i]);
                    }
                }
                start = end;
                return batch;
            }
        };
    }

    @Override
    public int getBatchSize() {
        return batchSize * k;
    }
}
