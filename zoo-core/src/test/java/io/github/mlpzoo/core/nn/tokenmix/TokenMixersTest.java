package io.github.mlpzoo.core.nn.tokenmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.mixer.MixerMlp;
import io.github.mlpzoo.core.nn.vision.ConvMlp;
import io.github.mlpzoo.core.nn.vision.GroupNorm;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class TokenMixersTest {

    @Test
    void poolingExcludesThePaddingAndSubtractsTheInput() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(16f).reshape(1, 1, 4, 4);
            float[] y = new PoolingTokenMixer(3).forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            // torch.nn.AvgPool2d(3, 1, 1, count_include_pad=False) on arange(16).reshape(4, 4), minus the input
            float[] pooled = {2.5f, 3f, 4f, 4.5f, 4.5f, 5f, 6f, 6.5f, 8.5f, 9f, 10f, 10.5f, 10.5f, 11f, 12f, 12.5f};
            for (int i = 0; i < 16; i++) {
                assertEquals(pooled[i] - i, y[i], 1e-5, "position " + i);
            }
        }
        // no parameters, so no gradient to check and no training step to run for the leak check
        BlockContract.of(() -> new PoolingTokenMixer(3), new Shape(2, 3, 4, 5)).withFreeAxes(0, 1, 2, 3)
                .skip(BlockContract.Check.GRADIENTS, BlockContract.Check.NO_LEAK).check();
    }

    @Test
    void spatialGatingUnitStartsAsTheFirstHalf() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            SpatialGatingUnit sgu = new SpatialGatingUnit(3, 2);
            sgu.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4));
            NDArray x = m.randomNormal(new Shape(1, 3, 4));
            NDArray y = sgu.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            // proj starts at W ~ N(0, 1e-6), b = 1, so the gate is ~1 and the unit returns u = x[..., :2]
            float[] u = x.get(":, :, :2").toFloatArray();
            float[] out = y.toFloatArray();
            for (int i = 0; i < u.length; i++) {
                assertEquals(u[i], out[i], 1e-4);
            }
        }
        BlockContract.of(() -> new SpatialGatingUnit(3, 2), new Shape(2, 3, 4)).check();
    }

    @Test
    void tokenMixingMlpMixesTokensOnly() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            TokenMixingMlp mix = new TokenMixingMlp(4, 3, 6, 0f);
            mix.initialize(m, DataType.FLOAT32, new Shape(1, 4, 3));
            NDArray x = m.randomNormal(new Shape(1, 4, 3));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = mix.forward(ps, new NDList(x), false).singletonOrThrow();
            // channel c of the output depends only on channel c of the input: permuting channels commutes
            NDArray xp = x.get(":, :, {}", m.create(new long[] {2, 0, 1}));
            NDArray yp = mix.forward(ps, new NDList(xp), false).singletonOrThrow();
            assertArrayEquals(y.get(":, :, {}", m.create(new long[] {2, 0, 1})).toFloatArray(), yp.toFloatArray(),
                    1e-6f);
        }
        BlockContract.of(() -> new TokenMixingMlp(4, 3, 6, 0.1f), new Shape(2, 4, 3)).check();
    }

    @Test
    void metaFormerBlocksContract() {
        BlockContract.of(() -> MetaFormerBlock.builder()
                        .setNorm1(LayerNorm.builder().axis(2).build())
                        .setTokenMixer(new TokenMixingMlp(4, 3, 2, 0f))
                        .setNorm2(LayerNorm.builder().axis(2).build())
                        .setMlp(new MixerMlp(3, 6, 3, 0f, MixerMlp.Act.GELU))
                        .optDropPath(0.1f)
                        .build(), new Shape(2, 4, 3)).check();
        BlockContract.of(() -> MetaFormerBlock.builder()
                        .setNorm1(GroupNorm.singleGroup(4))
                        .setTokenMixer(new PoolingTokenMixer(3))
                        .setNorm2(GroupNorm.singleGroup(4))
                        .setMlp(new ConvMlp(4, 8, 0f))
                        .optLayerScale(4, 1e-2f, true)
                        .optDropPath(0.1f)
                        .build(), new Shape(2, 4, 3, 3)).withFreeAxes(0, 2, 3).check();
    }
}
