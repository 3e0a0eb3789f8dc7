package io.github.mlpzoo.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ops against hand-computed values (torch.roll / F.pad / torch.mean semantics). */
class OpsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        Engines.get();
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** 0..n-1 as float32 with the given shape. */
    private NDArray iota(long... dims) {
        Shape s = new Shape(dims);
        return manager.arange(0f, (float) s.size()).reshape(s);
    }

    @Test
    void rollMatchesTorchRoll() {
        NDArray x = iota(5); // [0 1 2 3 4]
        assertArrayEquals(new float[] {3, 4, 0, 1, 2}, Ops.roll(x, 2, 0).toFloatArray());
        assertArrayEquals(new float[] {2, 3, 4, 0, 1}, Ops.roll(x, -2, 0).toFloatArray());
        // shifts beyond the size wrap around: 12 = 2 (mod 5), -7 = 3 (mod 5)
        assertArrayEquals(new float[] {3, 4, 0, 1, 2}, Ops.roll(x, 12, 0).toFloatArray());
        assertArrayEquals(new float[] {2, 3, 4, 0, 1}, Ops.roll(x, -7, 0).toFloatArray());
        assertArrayEquals(x.toFloatArray(), Ops.roll(x, 5, 0).toFloatArray());
        assertArrayEquals(x.toFloatArray(), Ops.roll(x, 0, -1).toFloatArray());
    }

    @Test
    void rollAlongInnerAndNegativeAxes() {
        NDArray x = iota(2, 3, 2);
        // torch.roll(arange(12).reshape(2,3,2), 1, dims=1)
        float[] axis1 = {4, 5, 0, 1, 2, 3, 10, 11, 6, 7, 8, 9};
        assertArrayEquals(axis1, Ops.roll(x, 1, 1).toFloatArray());
        assertArrayEquals(axis1, Ops.roll(x, 1, -2).toFloatArray());
        // torch.roll(..., -1, dims=-1) swaps the last pairs
        assertArrayEquals(new float[] {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10}, Ops.roll(x, -1, -1).toFloatArray());
        // two axes: torch.roll(x, (1, 1), dims=(1, 2))
        float[] both = {5, 4, 1, 0, 3, 2, 11, 10, 7, 6, 9, 8};
        assertArrayEquals(both, Ops.roll(x, new long[] {1, 1}, new int[] {1, 2}).toFloatArray());
        assertEquals(x.getShape(), Ops.roll(x, 1, 1).getShape());
    }

    @Test
    void rollKeepsTypeAndRejectsBadAxis() {
        NDArray ids = manager.create(new long[] {7, 8, 9});
        NDArray r = Ops.roll(ids, 1, 0);
        assertEquals(DataType.INT64, r.getDataType());
        assertArrayEquals(new long[] {9, 7, 8}, r.toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.roll(ids, 1, 1));
        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.roll(ids, 1, -2));
        assertThrows(IllegalArgumentException.class,
                () -> Ops.roll(ids, new long[] {1}, new int[] {0, 0}));
    }

    @Test
    void rollGradientIsTheInverseRoll() {
        NDArray x = iota(4);
        x.setRequiresGradient(true);
        NDArray w = manager.create(new float[] {1, 10, 100, 1000});
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // y = roll(x, 1) = [x3 x0 x1 x2]; loss = sum(w * y) -> dloss/dx = [10 100 1000 1]
            gc.backward(Ops.roll(x, 1, 0).mul(w).sum());
        }
        assertArrayEquals(new float[] {10, 100, 1000, 1}, x.getGradient().toFloatArray());
    }

    @Test
    void padOneAxis() {
        NDArray x = iota(2, 2); // [[0 1] [2 3]]
        NDArray p = Ops.pad(x, 1, 1, 2, -1f);
        assertEquals(new Shape(2, 5), p.getShape());
        assertArrayEquals(new float[] {-1, 0, 1, -1, -1, -1, 2, 3, -1, -1}, p.toFloatArray());
        NDArray q = Ops.pad(x, -2, 0, 1, 0f);
        assertEquals(new Shape(3, 2), q.getShape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 0}, q.toFloatArray());
        assertArrayEquals(x.toFloatArray(), Ops.pad(x, 0, 0, 0, 5f).toFloatArray());
    }

    @Test
    void padLikeTorchFunctionalPad() {
        NDArray x = iota(1, 2, 2);
        // F.pad(arange(4.).reshape(1,2,2), (1, 0, 0, 1), value=9)
        NDArray p = Ops.pad(x, new long[] {1, 0, 0, 1}, 9f);
        assertEquals(new Shape(1, 3, 3), p.getShape());
        assertArrayEquals(new float[] {9, 0, 1, 9, 2, 3, 9, 9, 9}, p.toFloatArray());
        NDArray ids = manager.create(new int[] {1, 2});
        NDArray pi = Ops.pad(ids, new long[] {2, 1}, 0f);
        assertEquals(DataType.INT32, pi.getDataType());
        assertArrayEquals(new int[] {0, 0, 1, 2, 0}, pi.toIntArray());
    }

    @Test
    void padRejectsBadArguments() {
        NDArray x = iota(2, 2);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Ops.pad(x, 1, -1, 0, 0f));
        assertTrue(neg.getMessage().contains("axis 1"), neg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.pad(x, 2, 1, 1, 0f));
        assertThrows(IllegalArgumentException.class, () -> Ops.pad(x, new long[] {1, 1, 1}, 0f));
        assertThrows(IllegalArgumentException.class, () -> Ops.pad(x, new long[] {1, 1, 1, 1, 1, 1}, 0f));
    }

    @Test
    void padGradientReachesOnlyTheInput() {
        NDArray x = iota(3);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Ops.pad(x, 0, 2, 1, 7f); // [7 7 x0 x1 x2 7]
            gc.backward(y.mul(manager.arange(1f, 7f)).sum());
        }
        assertArrayEquals(new float[] {3, 4, 5}, x.getGradient().toFloatArray());
    }

    @Test
    void meanOverSeveralAxes() {
        NDArray x = iota(2, 3, 4);
        // torch.mean(arange(24.).reshape(2,3,4), dim=(1, 2)) = [5.5, 17.5]
        assertArrayEquals(new float[] {5.5f, 17.5f}, Ops.mean(x, 1, 2).toFloatArray());
        assertArrayEquals(new float[] {5.5f, 17.5f}, Ops.mean(x, -1, -2).toFloatArray());
        // dim=(0, 2): [7.5, 11.5, 15.5]
        assertArrayEquals(new float[] {7.5f, 11.5f, 15.5f}, Ops.mean(x, 0, 2).toFloatArray());
        // one axis delegates to DJL; all three axes give the grand mean 11.5
        assertArrayEquals(new float[] {1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}, Ops.mean(x, 2).toFloatArray());
        NDArray all = Ops.mean(x, 0, 1, 2);
        assertEquals(new Shape(), all.getShape());
        assertEquals(11.5f, all.getFloat(), 0f);
    }

    @Test
    void meanKeepDims() {
        NDArray x = iota(2, 3, 4);
        NDArray m = Ops.mean(x, new int[] {0, 2}, true);
        assertEquals(new Shape(1, 3, 1), m.getShape());
        assertArrayEquals(new float[] {7.5f, 11.5f, 15.5f}, m.toFloatArray());
        assertEquals(new Shape(2, 1, 4), Ops.mean(x, new int[] {1}, true).getShape());
    }

    @Test
    void meanRejectsBadAxes() {
        NDArray x = iota(2, 3);
        assertThrows(IllegalArgumentException.class, () -> Ops.mean(x));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Ops.mean(x, 1, -1));
        assertTrue(twice.getMessage().contains("axis 1"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.mean(x, 0, 2));
    }

    @Test
    void meanGradientIsUniform() {
        NDArray x = iota(2, 2, 2);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // d/dx sum(mean(x, (0, 2))) = 1/4 everywhere
            gc.backward(Ops.mean(x, 0, 2).sum());
        }
        float[] g = x.getGradient().toFloatArray();
        for (float v : g) {
            assertEquals(0.25f, v, 0f);
        }
    }
}
