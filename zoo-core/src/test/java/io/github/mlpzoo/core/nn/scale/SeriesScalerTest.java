package io.github.mlpzoo.core.nn.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.Test;

class SeriesScalerTest {

    /** One channel [1, 3]: loc 2, population variance 1, scale sqrt(1 + 1e-5). */
    @Test
    void stdUsesPopulationVariancePlusMinimum() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDList r = SeriesScaler.STD.apply(m.create(new float[] {1, 3}, new Shape(1, 2, 1)));
            float s = (float) Math.sqrt(1 + 1e-5);
            assertArrayEquals(new float[] {-1 / s, 1 / s}, r.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2}, r.get(1).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {s}, r.get(2).toFloatArray(), 1e-6f);
        }
    }

    /** Masked std: only the observed steps count ([1, 3, (99 missing)] → loc 2). */
    @Test
    void stdHonoursTheObservedMask() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDList r = SeriesScaler.STD.apply(m.create(new float[] {1, 3, 99}, new Shape(1, 3, 1)),
                    m.create(new float[] {1, 1, 0}, new Shape(1, 3, 1)));
            assertArrayEquals(new float[] {2}, r.get(1).toFloatArray(), 1e-6f);
        }
    }

    /** Mean scaler: scale = mean |x| = 2 for [-1, 3]; a fully unobserved row falls back to the batch's scale. */
    @Test
    void meanScalerAndItsBatchFallback() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDList r = SeriesScaler.MEAN.apply(m.create(new float[] {-1, 3, 5, 5}, new Shape(2, 2, 1)),
                    m.create(new float[] {1, 1, 0, 0}, new Shape(2, 2, 1)));
            assertArrayEquals(new float[] {2, 2}, r.get(2).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-0.5f, 1.5f, 2.5f, 2.5f}, r.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, 0}, r.get(1).toFloatArray(), 0f);
        }
    }
}
