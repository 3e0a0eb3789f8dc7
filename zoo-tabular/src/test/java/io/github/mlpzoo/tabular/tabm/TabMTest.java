package io.github.mlpzoo.tabular.tabm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.tabular.tabm.TabMConfig.Arch;
import io.github.mlpzoo.tabular.tabm.TabMConfig.Embedding;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TabMTest {

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    /** Trainable parameters after initialization (the encoding constants are buffers officially). */
    static long count(TabMConfig c) {
        TabM model = new TabM(c);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape[] in = c.catCardinalities().length > 0
                    ? new Shape[] {new Shape(1, c.nNum()), new Shape(1, c.catCardinalities().length)}
                    : new Shape[] {new Shape(1, c.nNum())};
            model.initialize(m, DataType.FLOAT32, in);
            long n = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    n += p.getValue().getArray().size();
                }
            }
            return n;
        }
    }

    /** Counts printed by tabm.py 0.0.3 ({@code TabM.make}, PLE with compute_bins(n_bins=48) and d_embedding=16). */
    @Test
    void parameterCountsEqualTheOfficialPackageOnTheReadmeShape() {
        int[] cats = {3, 7};
        assertEquals(690_272, count(TabMConfig.make(Arch.TABM, 24, cats, 1, Embedding.NONE)));
        assertEquals(560_736, count(TabMConfig.make(Arch.TABM_MINI, 24, cats, 1, Embedding.NONE)));
        assertEquals(17_399_840, count(TabMConfig.make(Arch.TABM_PACKED, 24, cats, 1, Embedding.NONE)));
        assertEquals(594_016, count(TabMConfig.make(Arch.TABM, 24, cats, 1, Embedding.PIECEWISE_LINEAR)));
        assertEquals(513_120, count(TabMConfig.make(Arch.TABM_MINI, 24, cats, 1, Embedding.PIECEWISE_LINEAR)));
        assertEquals(14_912_288, count(TabMConfig.make(Arch.TABM_PACKED, 24, cats, 1, Embedding.PIECEWISE_LINEAR)));
    }

    /** The paper's California runs report 438,688 / 198,192 / 94,882,848 / 545,472 / 765,664 (report.json). */
    @Test
    void parameterCountsEqualTheOfficialOnCalifornia() {
        assertEquals(438_688, count(TabMConfig.california(Arch.TABM, false)));
        assertEquals(198_192, count(TabMConfig.california(Arch.TABM_MINI, false)));
        assertEquals(94_882_848, count(TabMConfig.california(Arch.TABM_PACKED, false)));
        assertEquals(545_472, count(TabMConfig.california(Arch.TABM, true)));
        assertEquals(765_664, count(TabMConfig.california(Arch.TABM_MINI, true)));
        assertEquals(11_067_072, count(TabMConfig.california(Arch.TABM_PACKED, true)));
    }

    static TabMConfig tiny(Arch arch, Embedding e) {
        return new TabMConfig(arch, 3, new int[] {2, 3}, 2, 4, 2, 6, 0.1f, e, 3, 4, 5, 0.1f);
    }

    @Test
    void everyKindPassesTheBlockContract() {
        for (Arch a : Arch.values()) {
            for (Embedding e : Embedding.values()) {
                TabMConfig c = tiny(a, e);
                BlockContract.of(() -> new TabM(c), new Shape(2, 3), new Shape(2, 2))
                        .withIds(1, 2).withSteps(5).named("TabM " + a + " " + e).check();
            }
        }
    }

    @Test
    void badInputsAreRefusedWithAClearMessage() {
        TabM model = new TabM(tiny(Arch.TABM, Embedding.NONE));
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2));
            ParameterStore ps = new ParameterStore(m, false);
            var cat = m.create(new long[] {0, 1}, new Shape(1, 2));
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> model.forward(ps,
                    new NDList(m.create(new float[] {1, Float.NaN, 0}, new Shape(1, 3)), cat), false));
            assertTrue(nan.getMessage().contains("x_num contains NaN"), nan.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> model.forward(ps,
                    new NDList(m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4)), cat), false));
            assertTrue(count.getMessage().contains("axis 1 must be 3"), count.getMessage());
            IllegalArgumentException code = assertThrows(IllegalArgumentException.class, () -> model.forward(ps,
                    new NDList(m.create(new float[] {1, 2, 3}, new Shape(1, 3)), m.create(new long[] {3, 0},
                            new Shape(1, 2))), false));
            assertTrue(code.getMessage().contains("feature 0 has code 3"), code.getMessage());
        }
    }

    /**
     * share_training_batches=false: in training, member j of row i sees input row i·k + j, i.e. the (B·k)-row training
     * output equals each member's evaluation output on its own row; a row count that is not a multiple of k is refused.
     */
    @Test
    void membersTrainOnTheirOwnRowsWhenBatchesAreNotShared() {
        for (Arch a : Arch.values()) {
            TabMConfig c = new TabMConfig(a, 3, new int[] {2, 3}, 2, 4, 2, 6, 0f, Embedding.NONE, 3, 4, 5, 0.1f)
                    .withShareTrainingBatches(false);
            try (NDManager m = Engines.get().newBaseManager()) {
                TabM model = new TabM(c);
                model.initialize(m, DataType.FLOAT32, new Shape(8, 3), new Shape(8, 2));
                ParameterStore ps = new ParameterStore(m, false);
                var xNum = m.randomNormal(new Shape(8, 3));
                var xCat = m.create(new long[] {0, 1, 1, 2, 0, 0, 1, 1, 0, 2, 1, 0, 0, 1, 1, 2}, new Shape(8, 2));
                var train = model.forward(ps, new NDList(xNum, xCat), true).singletonOrThrow();   // (2, 4, 2)
                var eval = model.forward(ps, new NDList(xNum, xCat), false).singletonOrThrow();   // (8, 4, 2)
                assertEquals(new Shape(2, 4, 2), train.getShape(), a.toString());
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 4; j++) {
                        float err = train.get(i + "," + j).sub(eval.get((i * 4 + j) + "," + j)).abs().max().getFloat();
                        assertTrue(err < 1e-5f, a + " row " + i + " member " + j + ": " + err);
                    }
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(ps,
                        new NDList(xNum.get("0:6"), xCat.get("0:6")), true));
                assertTrue(e.getMessage().contains("got 6 rows, not a multiple of k = 4"), e.getMessage());
            }
        }
    }
}
