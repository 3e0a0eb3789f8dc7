package io.github.mlpzoo.core.nn.residual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class ResidualPiecesTest {

    @Test
    void dropPathKeepsOrZeroesWholeSamplesAndScalesByKeep() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2000, 3, 2));
            assertEquals(x, DropPath.dropPath(x, 0.25f, false), "inference is the identity");
            float[] y = DropPath.dropPath(x, 0.25f, true).toFloatArray();
            int kept = 0;
            for (int b = 0; b < 2000; b++) {
                float first = y[b * 6];
                assertTrue(first == 0f || Math.abs(first - 1f / 0.75f) < 1e-6, "sample " + b + " got " + first);
                for (int i = 1; i < 6; i++) {
                    assertEquals(first, y[b * 6 + i], "sample " + b + " must be dropped as a whole");
                }
                kept += first == 0f ? 0 : 1;
            }
            assertEquals(0.75, kept / 2000.0, 0.04, "kept fraction");
        }
        assertThrows(IllegalArgumentException.class, () -> new DropPath(1f));
    }

    @Test
    void dropPathContract() {
        // no parameters, so no gradient to check and no training step to run for the leak check
        BlockContract.of(() -> new DropPath(0.2f), new Shape(3, 4, 5)).withFreeAxes(0, 1, 2).withFreeRank(0)
                .skip(BlockContract.Check.GRADIENTS, BlockContract.Check.NO_LEAK).check();
    }

    @Test
    void layerScaleMultipliesEachChannel() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            LayerScale first = new LayerScale(2, 0.5f, true);
            first.initialize(m, DataType.FLOAT32, new Shape(1, 2, 1, 2));
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
            NDArray y = first.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, y.toFloatArray());
            LayerScale last = new LayerScale(3, 1e-5f, false);
            last.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3));
            assertEquals(new Shape(3), last.getParameters().get(0).getValue().getArray().getShape());
        }
    }

    @Test
    void layerScaleContract() {
        BlockContract.of(() -> new LayerScale(4, 0.1f, true), new Shape(2, 4, 3, 3)).withFreeAxes(0, 2, 3).withFreeRank(0)
                .check();
        BlockContract.of(() -> new LayerScale(4, 0.1f, false), new Shape(2, 5, 4)).withFreeAxes(0, 1).withFreeRank(0).check();
    }
}
