package io.github.mlpzoo.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@link Scalars}: the gradient through a scalar op survives a garbage collection between forward and backward that
 * frees (and refills with NaN) the small native chunks Java let go. DJL's own {@code x.mul(3f)} fails this same
 * check (its gradient came out as -7e33 here), which is why the helpers exist.
 */
class ScalarsTest {

    private static float[] gradAfterChurn(UnaryOperator<NDArray> op) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x);
                churn();
                gc.backward(y.sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Lets the GC free unreachable direct buffers, then takes small native chunks again and fills them with NaN. */
    private static void churn() throws Exception {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20);
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, Float.NaN);
                keep.add(b);
            }
        }
    }

    @Test
    void mulAndDivKeepTheirScalar() throws Exception {
        assertArrayEquals(new float[] {3f, 3f, 3f}, gradAfterChurn(x -> Scalars.mul(x, 3)), 0f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, gradAfterChurn(x -> Scalars.div(x, 2)), 0f);
    }

    @Test
    void maximumAndMinimumKeepTheirScalar() throws Exception {
        assertArrayEquals(new float[] {0f, 1f, 1f}, gradAfterChurn(x -> Scalars.maximum(x, 1.5)), 0f);
        assertArrayEquals(new float[] {1f, 0f, 0f}, gradAfterChurn(x -> Scalars.minimum(x, 1.5)), 0f);
    }

    @Test
    void mseLossGradientSurvives() throws Exception {
        // d/dp mean((p - y)²) = 2 (p - y) / n with y = 0, n = 3
        float[] g = gradAfterChurn(p -> new io.github.mlpzoo.core.train.MseLoss("mse").evaluate(
                new ai.djl.ndarray.NDList(p.zerosLike()), new ai.djl.ndarray.NDList(p)));
        assertArrayEquals(new float[] {2f / 3, 4f / 3, 2f}, g, 1e-6f);
    }

    @Test
    void opsMeanKeepsItsCount() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new ai.djl.ndarray.types.Shape(2, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Ops.mean(x, 1, 2);
                churn();
                gc.backward(y.sum());
            }
            float[] g = x.getGradient().toFloatArray();
            for (float v : g) {
                org.junit.jupiter.api.Assertions.assertEquals(0.25f, v, 0f);
            }
        }
    }
}
