package io.github.mlpzoo.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.Test;

/** Biases keep their value under weight decay when exempted; weights shrink by (1 - lr * wd). */
class ParameterGroupsTest {

    @Test
    void biasesAreExemptFromDecayWeightsAreNot() {
        Engines.configureOffline();
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(2).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            lin.getParameters().get("bias").getArray().set(new float[] {0.5f, -0.25f});
            float lr = 0.1f;
            float wd = 0.5f;
            Optimizer decayed = AdamW.builder().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(wd).build();
            Optimizer plain = AdamW.builder().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(0f).build();
            Optimizer groups = ParameterGroups.of(lin, ParameterGroups.BIASES_AND_NORMS, decayed, plain);
            for (Pair<String, Parameter> p : lin.getParameters()) {
                NDArray w = p.getValue().getArray();
                float[] before = w.toFloatArray();
                // a zero gradient isolates the decoupled decay: Adam's own step is 0
                groups.update(p.getValue().getId(), w, w.zerosLike());
                float[] expected = before.clone();
                if (p.getKey().equals("weight")) {
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] *= 1 - lr * wd;
                    }
                }
                assertArrayEquals(expected, w.toFloatArray(), 1e-6f, p.getKey());
            }
        }
    }

    /** As the TabM paper's parameter groups: LinearEmbeddings and _Periodic parameters are not decayed. */
    @Test
    void embeddingParametersFollowTheOfficialGroups() {
        Engines.configureOffline();
        var ple = new io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings(3, 4, 2, false);
        var periodic = new io.github.mlpzoo.core.nn.embeddings.PeriodicEmbeddings(3, 4, 2, 0.01f, false);
        java.util.Map<String, Boolean> exempt = new java.util.TreeMap<>();
        for (ai.djl.nn.Block b : new ai.djl.nn.Block[] {ple, periodic}) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                exempt.put(b.getClass().getSimpleName() + "." + p.getKey(),
                        ParameterGroups.BIASES_AND_NORMS.test(p.getKey(), p.getValue()));
            }
        }
        assertSame(true, exempt.get("PiecewiseLinearEmbeddings.linear0_weight"));
        assertSame(true, exempt.get("PiecewiseLinearEmbeddings.linear0_bias"));
        assertSame(false, exempt.get("PiecewiseLinearEmbeddings.linear_weight"));
        assertSame(true, exempt.get("PeriodicEmbeddings.periodic_weight"));
        assertSame(false, exempt.get("PeriodicEmbeddings.linear_weight"));
        assertSame(true, exempt.get("PeriodicEmbeddings.linear_bias"));
    }

    @Test
    void noMatchingParameterMeansThePlainOptimizer() {
        Engines.configureOffline();
        Linear lin = Linear.builder().setUnits(2).optBias(false).build();
        Optimizer main = AdamW.builder().build();
        assertSame(main, ParameterGroups.of(lin, ParameterGroups.BIASES_AND_NORMS, main, AdamW.builder().build()));
    }
}
