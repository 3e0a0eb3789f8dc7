package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

/** Every CTR building block passes the block contract on its own, not only inside DIN and FinalMLP. */
class CtrBlocksContractTest {

    @Test
    void batchNorm1d() {
        // (N, ..., C): any rank, channels last
        BlockContract.of(() -> new BatchNorm1d(6, 1e-5f), new Shape(4, 6)).withFreeRank(0).check();
    }

    @Test
    void dice() {
        BlockContract.of(() -> new Dice(6), new Shape(4, 6)).withFreeRank(0).check();
    }

    @Test
    void tower() {
        BlockContract.of(() -> Tower.builder().setHidden(8, 4).optActivation(Tower.Act.DICE)
                        .optBatchNorm(true).optOutput(1, true, Tower.Act.NONE).build(),
                new Shape(4, 5)).withFreeRank(0).check();
    }

    @Test
    void attentionPoolingWithAndWithoutSoftmax() {
        for (boolean softmax : new boolean[] {true, false}) {
            BlockContract.of(() -> new AttentionPooling(4, new int[] {8}, softmax, 0.05f),
                            new Shape(3, 4), new Shape(3, 5, 4), new Shape(3, 5))
                    .named("AttentionPooling(softmax=" + softmax + ")")
                    .withInput(2, (m, s, r) -> m.randomUniform(0, 1, s).gt(0.3f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false))
                    .withFreeAxes(1, 1)
                    .withFreeAxes(2, 1)
                    .check();
        }
    }

    @Test
    void featureSelectionGateWithContext() {
        BlockContract.of(() -> new FeatureSelectionGate(6, 3, 0, new int[] {8}), new Shape(4, 6), new Shape(4, 3))
                .check();
    }

    @Test
    void bilinearFusion() {
        BlockContract.of(() -> new BilinearFusion(6, 4, 2, 1), new Shape(4, 6), new Shape(4, 4)).check();
    }
}
