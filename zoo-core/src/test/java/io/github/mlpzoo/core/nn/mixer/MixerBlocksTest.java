package io.github.mlpzoo.core.nn.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class MixerBlocksTest {

    @Test
    void gatedAttentionPassesTheContract() {
        BlockContract.of(() -> new GatedAttention(4), new Shape(2, 3, 4)).withFreeRank(0).withFreeAxes(0, 1).named("GatedAttention").check();
    }

    @Test
    void mixerMlpPassesTheContract() {
        BlockContract.of(() -> new MixerMlp(4, 8, 5, 0.1f, MixerMlp.Act.GELU), new Shape(2, 3, 4))
                .withFreeRank(0).withFreeAxes(0, 1).named("MixerMlp").check();
    }

    @Test
    void axisMixerPassesTheContractOnEachAxisAndNorm() {
        BlockContract.of(() -> AxisMixerBlock.builder().setAxis(2).setSize(3).setFeatures(4).optDropout(0.1f)
                .optSelfAttention(2).build(), new Shape(2, 5, 3, 4)).withFreeAxes(0, 1)
                .named("AxisMixerBlock patch axis with self-attention").check();
        assertThrows(IllegalArgumentException.class,
                () -> AxisMixerBlock.builder().setAxis(2).setSize(3).setFeatures(4).optSelfAttention(3).build());
        BlockContract.of(() -> AxisMixerBlock.builder().setAxis(2).setSize(3).setFeatures(4).optDropout(0.1f).build(),
                new Shape(2, 5, 3, 4)).withFreeRank(0).withFreeAxes(0, 1).named("AxisMixerBlock patch axis, LayerNorm").check();
        BlockContract.of(() -> AxisMixerBlock.builder().setAxis(1).setSize(5).setFeatures(4).optGateFirst(true)
                .optNorm(AxisMixerBlock.Norm.BATCH).build(), new Shape(2, 5, 3, 4))
                .withFreeRank(0).withFreeAxes(0, 2).named("AxisMixerBlock channel axis, BatchNorm, gate first")
                // torch's batch_norm in eval mode gives 1-ulp (1.2e-7) differences after the round trip here; the
                // saved running statistics themselves are exact (the PatchTSMixer BatchNorm contract keeps this check)
                .skip(BlockContract.Check.SAVE_LOAD).check();
        BlockContract.of(() -> AxisMixerBlock.builder().setAxis(3).setSize(4).setFeatures(4).optGated(false).build(),
                new Shape(2, 5, 3, 4)).withFreeRank(0).withFreeAxes(0, 1, 2).named("AxisMixerBlock feature axis, no gate").check();
    }

    /** With a zero gate weight and bias the softmax is uniform: y = x / n, by hand. */
    @Test
    void gateWithZeroWeightsDividesByTheSize() {
        try (NDManager m = Engines.get().newBaseManager()) {
            GatedAttention g = new GatedAttention(4);
            g.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            g.getParameters().values().forEach(p -> p.getArray().set(new float[(int) p.getArray().size()]));
            NDArray x = m.create(new float[] {4, -8, 2, 1}, new Shape(1, 4));
            float[] y = g.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(new float[] {1, -2, 0.5f, 0.25f}, y, 1e-6f);
        }
    }

    @Test
    void builderRefusesMissingAxis() {
        assertThrows(IllegalArgumentException.class, () -> AxisMixerBlock.builder().setSize(3).setFeatures(4).build());
    }
}
