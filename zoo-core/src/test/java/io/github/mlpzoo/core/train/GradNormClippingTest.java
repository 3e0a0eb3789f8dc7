package io.github.mlpzoo.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.mlpzoo.core.Engines;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradNormClippingTest {

    /** Gradient [100, -100] of loss = w . [100, -100] at w = 0. */
    private static NDArray weightWithGradient(NDManager m) {
        NDArray w = m.zeros(new Shape(2));
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engines.get().newGradientCollector()) {
            gc.backward(w.mul(m.create(new float[] {100, -100})).sum());
        }
        return w;
    }

    @Test
    void scalesBothSignsLikeClipGradNorm() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray w = weightWithGradient(m);
            NDArray g = w.getGradient();
            double norm = GradNormClipping.clip(List.of(g), 1.0);
            assertEquals(100 * Math.sqrt(2), norm, 1e-4);
            float c = (float) (1.0 / (100 * Math.sqrt(2) + 1e-6));
            assertArrayEquals(new float[] {100 * c, -100 * c}, w.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray a = m.create(new float[] {0.3f, -0.4f});
            NDArray b = m.create(new float[] {0f});
            assertEquals(0.5, GradNormClipping.clip(List.of(a, b), 1.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray());
        }
    }

    /**
     * Documents DJL 0.29's bug (reference/djl.md T5): {@code optClipGrad(1)} clamps only from above on PyTorch, so
     * a step of SGD (lr 1) from w = 0 with gradient [100, -100] moves w to [-1, 100], not [-1, 1]. Global-norm
     * clipping moves it to [-1, 1] / sqrt(2).
     */
    @Test
    void djlOptClipGradOnlyClipsPositiveGradients() {
        try (NDManager m = Engines.get().newBaseManager()) {
            NDArray w = weightWithGradient(m);
            Optimizer djlClip = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).optClipGrad(1f).build();
            djlClip.update("w", w, w.getGradient());
            assertArrayEquals(new float[] {-1f, 100f}, w.toFloatArray(), 1e-6f);

            NDArray v = weightWithGradient(m);
            GradNormClipping.clip(List.of(v.getGradient()), 1.0);
            Optimizer plain = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build();
            plain.update("v", v, v.getGradient());
            float r = (float) (1 / Math.sqrt(2));
            assertArrayEquals(new float[] {-r, r}, v.toFloatArray(), 1e-6f);
        }
    }

    /** As a listener in DJL's own loop (EasyTrain.trainBatch + step), it clips the model's gradients in place. */
    @Test
    void clipsTheModelsGradientsAsAListener() {
        try (Model model = Model.newInstance("clip")) {
            Linear linear = Linear.builder().setUnits(1).optBias(false).build();
            linear.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            model.setBlock(linear);
            GradNormClipping clipping = new GradNormClipping(1.0);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l1Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build())
                    .addTrainingListeners(clipping);
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(1, 2));
                NDManager m = trainer.getManager().newSubManager();
                // prediction 0, label 1: dL1/dpred = -1, so dL/dw = -x = [-100, 50]
                NDList x = new NDList(m.create(new float[][] {{100, -50}}));
                NDList y = new NDList(m.create(new float[][] {{1}}));
                try (Batch batch = new Batch(m, x, y, 1, null, null, 0, 1)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                }
                double n = Math.sqrt(100 * 100 + 50 * 50);
                assertEquals(n, clipping.lastNorm(), 1e-3);
                float c = (float) (1 / (n + 1e-6));
                float[] w = linear.getParameters().get("weight").getArray().toFloatArray();
                assertArrayEquals(new float[] {100 * c, -50 * c}, w, 1e-6f);
            }
        }
    }
}
