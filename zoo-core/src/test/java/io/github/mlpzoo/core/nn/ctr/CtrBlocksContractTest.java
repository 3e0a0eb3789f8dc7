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
        BlockContract.of(() -> new BilinearFusion(6, 4, 2, 3), new Shape(4, 6), new Shape(4, 4)).check();
    }

    /** The bilinear term against its definition, with several heads and outputs: Σ_h x_hᵀ W_h[:, o, :] y_h. */
    @Test
    void bilinearFusionMatchesItsDefinition() {
        int dx = 6;
        int dy = 4;
        int heads = 2;
        int out = 3;
        io.github.mlpzoo.core.Engines.get();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            BilinearFusion f = new BilinearFusion(dx, dy, heads, out);
            f.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(5, dx), new Shape(5, dy));
            for (var p : f.getParameters()) { // linear parts zero, so only the bilinear term remains
                if (!p.getKey().equals("wxy")) {
                    p.getValue().getArray().muli(0f);
                }
            }
            ai.djl.ndarray.NDArray x = m.randomNormal(new Shape(5, dx));
            ai.djl.ndarray.NDArray y = m.randomNormal(new Shape(5, dy));
            float[] got = f.forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x, y), false)
                    .singletonOrThrow().toFloatArray();
            float[] w = f.getParameters().get("wxy").getArray().toFloatArray(); // (h·hx·out·hy) in (h, hx, out, hy)
            float[] xs = x.toFloatArray();
            float[] ys = y.toFloatArray();
            int hx = dx / heads;
            int hy = dy / heads;
            for (int b = 0; b < 5; b++) {
                for (int o = 0; o < out; o++) {
                    double want = 0;
                    for (int h = 0; h < heads; h++) {
                        for (int i = 0; i < hx; i++) {
                            for (int j = 0; j < hy; j++) {
                                want += xs[b * dx + h * hx + i] * w[((h * hx + i) * out + o) * hy + j]
                                        * ys[b * dy + h * hy + j];
                            }
                        }
                    }
                    org.junit.jupiter.api.Assertions.assertEquals(want, got[b * out + o], 1e-4, "b=" + b + ", o=" + o);
                }
            }
        }
    }
}
