package io.github.mlpzoo.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.ensemble.EnsembleLoss;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** Batches for members that train on their own rows, and the per-member labels of the ensemble loss. */
class IndependentBatchSamplerTest {

    @Test
    void everyMemberSeesEveryRowOncePerEpochInItsOwnOrder() {
        try (NDManager m = Engines.get().newBaseManager()) {
            ArrayDataset data = Fit.arrays(m.arange(10f).reshape(10, 1), m.arange(10f));
            IndependentBatchSampler sampler = new IndependentBatchSampler(7, 4, 3);
            int[][] seen = new int[3][];
            List<Integer> sizes = new ArrayList<>();
            List<List<Long>> epoch = new ArrayList<>();
            for (Iterator<List<Long>> it = sampler.sample(data); it.hasNext(); ) {
                List<Long> batch = it.next();
                sizes.add(batch.size());
                epoch.add(batch);
            }
            assertEquals(List.of(12, 12, 6), sizes, "ceil(10 / 4) steps of B·k rows, the last shorter");
            for (int j = 0; j < 3; j++) {
                List<Integer> rows = new ArrayList<>();
                for (List<Long> batch : epoch) {
                    for (int i = j; i < batch.size(); i += 3) {
                        rows.add(batch.get(i).intValue());
                    }
                }
                seen[j] = rows.stream().mapToInt(Integer::intValue).toArray();
                int[] sorted = seen[j].clone();
                Arrays.sort(sorted);
                assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "member " + j);
            }
            assertFalse(Arrays.equals(seen[0], seen[1]) && Arrays.equals(seen[1], seen[2]), "independent orders");
            assertEquals(12, sampler.getBatchSize());
        }
    }

    @Test
    void ensembleLossTakesOneLabelPerMember() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray p = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2, 1));        // (B, k, 1)
            NDArray shared = m.create(new float[] {1, 3}, new Shape(2, 1));
            NDArray own = m.create(new float[] {1, 2, 3, 4}, new Shape(4, 1));         // row i·k + j
            assertEquals((0 + 1 + 0 + 1) / 4f, EnsembleLoss.mse().evaluate(new NDList(shared), new NDList(p))
                    .getFloat(), 1e-6f);
            assertEquals(0f, EnsembleLoss.mse().evaluate(new NDList(own), new NDList(p)).getFloat(), 1e-6f);
            NDArray logits = m.create(new float[] {5, 0, 0, 5, 5, 0, 0, 5}, new Shape(2, 2, 2));
            NDArray classes = m.create(new float[] {0, 1, 0, 1}, new Shape(4));
            float ce = EnsembleLoss.crossEntropy().evaluate(new NDList(classes), new NDList(logits)).getFloat();
            assertEquals(Math.log(1 + Math.exp(-5)), ce, 1e-5);
        }
    }
}
