package io.github.mlpzoo.core.nn.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class VisionPiecesTest {

    @Test
    void patchEmbeddingShapesAndContract() {
        PatchEmbedding tokens = PatchEmbedding.builder().setInChannels(3).setEmbedDim(8).setKernel(4).optFlatten(true)
                .optImageSize(8).build();
        assertEquals(new Shape(2, 4, 8), tokens.getOutputShapes(new Shape[] {new Shape(2, 3, 8, 8)})[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokens.getOutputShapes(new Shape[] {new Shape(2, 3, 9, 8)}));
        assertTrue(e.getMessage().contains("axis 2 must be 8"), e.getMessage());
        PatchEmbedding stem = PatchEmbedding.builder().setInChannels(3).setEmbedDim(8).setKernel(7).optStride(4)
                .optPadding(2).build();
        assertEquals(new Shape(1, 8, 56, 56), stem.getOutputShapes(new Shape[] {new Shape(1, 3, 224, 224)})[0]);
        BlockContract.of(() -> PatchEmbedding.builder().setInChannels(3).setEmbedDim(8).setKernel(4).optFlatten(true)
                .optImageSize(8).build(), new Shape(2, 3, 8, 8)).check();
        BlockContract.of(() -> PatchEmbedding.builder().setInChannels(2).setEmbedDim(4).setKernel(3).optStride(2)
                .optPadding(1).build(), new Shape(2, 2, 5, 6)).withFreeAxes(0, 2, 3).check();
    }

    @Test
    void singleGroupNormIsLayerNormOverChannelsAndSpace() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm gn = GroupNorm.singleGroup(2);
            gn.initialize(m, DataType.FLOAT32, new Shape(1, 2, 1, 2));
            NDArray x = m.create(new float[] {1, 2, 3, 6}, new Shape(1, 2, 1, 2));
            float[] y = gn.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
            // mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5
            double sd = Math.sqrt(3.5 + 1e-5);
            float[] expected = {(float) (-2 / sd), (float) (-1 / sd), 0f, (float) (3 / sd)};
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i], y[i], 1e-6);
            }
        }
        BlockContract.of(() -> GroupNorm.singleGroup(4), new Shape(2, 4, 3, 3)).withFreeAxes(0, 2, 3).withFreeRank(0)
                .check();
        BlockContract.of(() -> new GroupNorm(2, 4, 1e-5f), new Shape(2, 4, 5)).withFreeAxes(0, 2).withFreeRank(0).check();
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4, 1e-5f));
    }

    @Test
    void convMlpContract() {
        BlockContract.of(() -> new ConvMlp(4, 8, 0.1f), new Shape(2, 4, 3, 3)).withFreeAxes(0, 2, 3).check();
    }
}
