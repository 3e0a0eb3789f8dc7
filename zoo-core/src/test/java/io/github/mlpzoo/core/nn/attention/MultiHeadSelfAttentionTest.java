package io.github.mlpzoo.core.nn.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

/** The fused and the separate-projection layouts compute the same attention. */
class MultiHeadSelfAttentionTest {

    @Test
    void separateProjectionsPassTheContract() {
        BlockContract.of(() -> MultiHeadSelfAttention.separateProjections(8, 2, 0.1f), new Shape(2, 5, 8))
                .withFreeAxes(0, 1).named("MHSA separate projections").check();
    }

    /** Loading q, k, v stacked into the fused qkv weight gives the same output (so either matches the other's source). */
    @Test
    void separateProjectionsEqualTheFusedLayout() {
        try (NDManager m = Engines.get().newBaseManager()) {
            MultiHeadSelfAttention separate = MultiHeadSelfAttention.separateProjections(8, 2, 0f);
            MultiHeadSelfAttention fused = new MultiHeadSelfAttention(8, 2, true, 0f, 0f);
            Shape in = new Shape(3, 5, 8);
            separate.initialize(m, DataType.FLOAT32, in);
            fused.initialize(m, DataType.FLOAT32, in);
            var s = separate.getParameters();
            var f = f(fused);
            for (String kind : new String[] {"weight", "bias"}) {
                NDArray qkv = NDArrays.concat(new NDList(s.get("01qProj_" + kind).getArray(),
                        s.get("02kProj_" + kind).getArray(), s.get("03vProj_" + kind).getArray()), 0);
                qkv.copyTo(f.get("01qkv_" + kind).getArray());
                s.get("04outProj_" + kind).getArray().copyTo(f.get("02proj_" + kind).getArray());
            }
            NDArray x = m.randomNormal(in);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = separate.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray b = fused.forward(ps, new NDList(x), false).singletonOrThrow();
            float err = a.sub(b).abs().max().getFloat();
            assertTrue(err < 1e-6f, "max abs difference " + err);
            assertEquals(4 * (8 * 8 + 8), separate.getParameters().values().stream()
                    .mapToLong(p -> p.getArray().size()).sum());
        }
    }

    private static ai.djl.util.PairList<String, ai.djl.nn.Parameter> f(MultiHeadSelfAttention a) {
        return a.getParameters();
    }
}
