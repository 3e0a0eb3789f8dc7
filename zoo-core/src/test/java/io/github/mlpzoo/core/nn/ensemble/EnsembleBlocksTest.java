package io.github.mlpzoo.core.nn.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.embeddings.OneHotEncoding;
import io.github.mlpzoo.core.nn.embeddings.PeriodicEmbeddings;
import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

class EnsembleBlocksTest {

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    @Test
    void blocksPassTheContract() {
        BlockContract.of(() -> BatchEnsembleLinear.builder().setInFeatures(5).setOutFeatures(3).setK(4)
                .optScalingInit(ScalingInit.RANDOM_SIGNS, ScalingInit.ONES).optFirstScalingChunks(new int[] {2, 3})
                .build(), new Shape(2, 4, 5)).withSteps(5).check();
        BlockContract.of(() -> new LinearEnsemble(5, 3, 4, true), new Shape(2, 4, 5)).withSteps(5).check();
        BlockContract.of(() -> new ElementwiseAffine(4, 5, true, ScalingInit.NORMAL, null), new Shape(2, 4, 5))
                .withSteps(5).check();
        BlockContract.of(() -> new PiecewiseLinearEmbeddings(3, 5, 4, false), new Shape(2, 3)).withSteps(5).check();
        BlockContract.of(() -> new PeriodicEmbeddings(3, 6, 4, 0.1f, true), new Shape(2, 3)).withSteps(5).check();
    }

    @Test
    void batchEnsembleComputesEquationFiveAndStartsWithSharedBiasAndChunkedSigns() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchEnsembleLinear b = BatchEnsembleLinear.builder().setInFeatures(3).setOutFeatures(2).setK(5)
                    .optScalingInit(ScalingInit.RANDOM_SIGNS, ScalingInit.ONES).optFirstScalingChunks(new int[] {1, 2})
                    .build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 5, 3));
            var p = b.getParameters();
            float[] r = p.get("r").getArray().toFloatArray(); // (5, 3)
            float[] bias = p.get("bias").getArray().toFloatArray(); // (5, 2)
            for (int i = 0; i < 5; i++) {
                assertEquals(1f, Math.abs(r[i * 3]));
                assertEquals(r[i * 3 + 1], r[i * 3 + 2], "one value per chunk");
                assertEquals(bias[0], bias[i * 2]);
                assertEquals(bias[1], bias[i * 2 + 1]);
            }
            NDArray x = m.randomNormal(new Shape(2, 5, 3));
            NDArray y = b.forward(new ai.djl.training.ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            NDArray w = p.get("weight").getArray();
            NDArray want = x.mul(p.get("r").getArray()).matMul(w.transpose()).mul(p.get("s").getArray())
                    .add(p.get("bias").getArray());
            assertTrue(y.sub(want).abs().max().getFloat() < 1e-6f);
        }
    }

    @Test
    void ensembleLossIsTheMeanOfMemberLossesAndTheMeanDestandardizes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {1, 3, 0, 2}, new Shape(2, 2, 1)); // rows: members (1, 3), (0, 2)
            NDArray y = m.create(new float[] {2, 1}, new Shape(2, 1));
            // member errors: -1, 1, -1, 1 -> mean square 1 (the loss of the mean prediction would be 0)
            assertEquals(1f, EnsembleLoss.mse().evaluate(new NDList(y), new NDList(p)).getFloat(), 1e-6);
            assertArrayEquals(new float[] {2 * 2 + 10, 1 * 2 + 10},
                    EnsembleMean.regression(p, 10f, 2f).toFloatArray(), 1e-6f);
            NDArray logits = m.create(new float[] {0, 0, 0, (float) Math.log(3)}, new Shape(1, 2, 2));
            assertArrayEquals(new float[] {0.375f, 0.625f}, EnsembleMean.probabilities(logits).toFloatArray(), 1e-6f);
            float ce = EnsembleLoss.crossEntropy().evaluate(new NDList(m.create(new long[] {1})), new NDList(logits))
                    .getFloat();
            assertEquals((Math.log(2) + Math.log(4.0 / 3)) / 2, ce, 1e-6);
        }
    }

    @Test
    void oneHotHasAnUnknownSlotAndRefusesOtherCodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            OneHotEncoding oh = new OneHotEncoding(new int[] {2, 3});
            oh.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            var ps = new ai.djl.training.ParameterStore(m, false);
            NDArray x = m.create(new long[] {1, 2, 2, 3}, new Shape(2, 2)); // 2 and 3 are the unknown slots
            assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0, 0, 0, 0, 0},
                    oh.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> oh.forward(ps, new NDList(m.create(new long[] {3, 0}, new Shape(1, 2))), false));
            assertTrue(e.getMessage().contains("feature 0 has code 3; expected 0..2"), e.getMessage());
        }
    }

    @Test
    void piecewiseLinearEncodingMatchesTheDefinition() {
        List<float[]> bins = PiecewiseLinearEmbeddings.computeBins(new float[] {0, 0, 1, 0, 2, 0, 3, 5, 4, 5}, 2, 2);
        assertArrayEquals(new float[] {0, 2, 4}, bins.get(0));
        assertArrayEquals(new float[] {0, 5}, bins.get(1)); // duplicated quantiles are dropped
        try (NDManager m = NDManager.newBaseManager()) {
            PiecewiseLinearEmbeddings e = new PiecewiseLinearEmbeddings(1, 3, 1, false);
            e.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            e.setBins(List.of(new float[] {0, 1, 2, 4}));
            var p = e.getParameters();
            p.get("linear0_weight").getArray().set(new float[] {0});
            p.get("linear0_bias").getArray().set(new float[] {0});
            p.get("linear_weight").getArray().set(new float[] {100, 10, 1}); // reads the encoding as digits
            NDArray x = m.create(new float[] {-1, 0.5f, 1.5f, 3, 6}, new Shape(5, 1));
            float[] y = e.forward(new ai.djl.training.ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            // encodings: [-1, 0, 0], [0.5, 0, 0], [1, 0.5, 0], [1, 1, 0.5], [1, 1, 2]
            assertArrayEquals(new float[] {-100, 50, 105, 110.5f, 112}, y, 1e-4f);
            assertThrows(IllegalArgumentException.class, () -> e.setBins(List.of(new float[] {0, 1})));
        }
    }
}
