package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDManager;
import io.github.mlpzoo.core.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    private static final float[] P = {1, 2, 3};
    private static final float[] Y = {1, 3, 5};

    @Test
    void regressionMetricsByHand() {
        // errors 0, -1, -2
        assertEquals(5.0 / 3, Metrics.mse(P, Y), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), Metrics.rmse(P, Y), 1e-12);
        assertEquals(1.0, Metrics.mae(P, Y), 1e-12);
    }

    @Test
    void aucAveragesTiedRanks() {
        // positives 0.35, 0.8, 0.4; negatives 0.1, 0.4. Pairs won by the positive: (0.35,0.1) (0.8,0.1) (0.8,0.4)
        // (0.4,0.1) and the tie (0.4,0.4) counts 1/2: 4.5 of 6 pairs. sklearn 1.2.1 roc_auc_score gives 0.75.
        float[] scores = {0.1f, 0.4f, 0.35f, 0.8f, 0.4f};
        float[] y = {0, 0, 1, 1, 1};
        assertEquals(0.75, Metrics.auc(scores, y), 1e-12);
        // all scores tied: chance level
        assertEquals(0.5, Metrics.auc(new float[] {2, 2, 2, 2}, new float[] {0, 1, 0, 1}), 1e-12);
        // perfect and reversed ranking
        assertEquals(1.0, Metrics.auc(new float[] {0.1f, 0.2f, 0.9f}, new float[] {0, 0, 1}), 1e-12);
        assertEquals(0.0, Metrics.auc(new float[] {0.9f, 0.2f, 0.1f}, new float[] {0, 0, 1}), 1e-12);
    }

    @Test
    void aucRejectsOneClassAndNonBinaryLabels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auc(new float[] {0.1f, 0.2f}, new float[] {1, 1}));
        assertTrue(e.getMessage().contains("one class"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.auc(new float[] {0.1f, 0.2f}, new float[] {0, 2}));
    }

    @Test
    void loglossClipsAtFloat64Epsilon() {
        float[] p = {0.9f, 0.2f, 1.0f, 0.0f};
        float[] y = {1, 0, 1, 1};
        double eps = Math.ulp(1.0);
        double expected = -(Math.log(0.9f) + Math.log(1 - (double) 0.2f) + Math.log(1 - eps) + Math.log(eps)) / 4;
        assertEquals(expected, Metrics.logloss(p, y), 1e-12);
        // sklearn 1.2.1: log_loss([1,0,1,1], [0.9,0.2,1.0,0.0]) = 9.093039364022298 (float64 inputs)
        assertEquals(9.093039364022298, Metrics.logloss(p, y), 1e-7);
    }

    @Test
    void accuracyFromLabelsAndLogits() {
        assertEquals(0.75, Metrics.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 1}), 1e-12);
        try (NDManager m = Engines.get().newBaseManager()) {
            float[][] logits = {{2, 1, 0}, {0, 3, 1}, {0, 0, 5}, {9, 0, 0}};
            assertEquals(0.5, Metrics.accuracy(m.create(logits), m.create(new long[] {0, 1, 1, 2})), 1e-12);
            assertEquals(Math.sqrt(5.0 / 3), Metrics.rmse(m.create(P).reshape(3, 1), m.create(Y)), 1e-12);
        }
    }

    @Test
    void mismatchedLengthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.mse(new float[] {1, 2}, new float[] {1}));
        assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
    }
}
