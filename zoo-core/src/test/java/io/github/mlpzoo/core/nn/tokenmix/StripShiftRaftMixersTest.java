package io.github.mlpzoo.core.nn.tokenmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.github.mlpzoo.core.nn.vision.GlobalResponseNorm;
import io.github.mlpzoo.core.nn.vision.RelativePositionBias;
import io.github.mlpzoo.core.ops.Ops;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mixers of Strip-MLP, MS-MLP and RaftMLP and their pieces: the block contract on tiny sizes, values checked
 * against PyTorch 1.13.1 (GRN, bicubic resize) or by hand (relative positions, chunk sizes, raft resizing).
 */
class StripShiftRaftMixersTest {

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    @Test
    void cascadeGroupStripMixingContract() {
        BlockContract.of(() -> new CascadeGroupStripMixing(8, 2, 4), new Shape(2, 8, 4, 4)).check();
    }

    @Test
    void localStripMixingContract() {
        BlockContract.of(() -> new LocalStripMixing(4), new Shape(2, 4, 5, 6)).withFreeAxes(0, 2, 3).check();
    }

    @Test
    void mixShiftContract() {
        BlockContract.of(() -> new MixShift(9, new int[] {-2, -1, 0, 1, 2}, new int[] {1, 1, 3, 5, 7}),
                new Shape(2, 9, 6, 5)).withFreeAxes(0, 2, 3).check();
    }

    @Test
    void raftTokenMixingContractOnAndOffItsGrid() {
        BlockContract.of(() -> new RaftTokenMixing(4, 2, 3, 3, 2, 0.1f, 0.1f), new Shape(2, 3, 3, 4))
                .withFreeAxes(0, 1, 2).check();
        BlockContract.of(() -> new RaftTokenMixing(4, 2, 3, 3, 2, 0f, 0f), new Shape(2, 5, 4, 4))
                .withFreeAxes(0, 1, 2).check();
    }

    @Test
    void grnAndRelativePositionContracts() {
        BlockContract.of(() -> new GlobalResponseNorm(4), new Shape(2, 3, 3, 4)).withFreeAxes(0, 1, 2).check();
        BlockContract.of(() -> new RelativePositionBias(4, 2), new Shape(2, 4, 3, 3)).withFreeAxes(0, 2, 3).check();
    }

    @Test
    void chunkSizesAreTorchChunks() {
        assertArrayEquals(new int[] {20, 20, 20, 20, 16}, MixShift.chunkSizes(96, 5));
        assertArrayEquals(new int[] {154, 154, 154, 154, 152}, MixShift.chunkSizes(768, 5));
        assertArrayEquals(new int[] {205, 205, 205, 205, 204}, MixShift.chunkSizes(1024, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixShift.chunkSizes(16, 5));
        assertTrue(e.getMessage().contains("16 channels into 4 groups of 4, not 5"), e.getMessage());
    }

    @Test
    void grnMatchesTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            GlobalResponseNorm grn = new GlobalResponseNorm(2);
            grn.initialize(m, DataType.FLOAT32, new Shape(1, 2, 2, 2));
            grn.getParameters().get("gamma").getArray().set(new float[] {0.5f, -1f});
            grn.getParameters().get("beta").getArray().set(new float[] {0.1f, 0.2f});
            // torch: x = [[[[1,2],[3,-1]],[[0,1],[2,2]]]].permute(0,2,3,1), GRN as Strip-MLP's
            NDArray x = m.create(new float[] {1, 2, 3, -1, 0, 1, 2, 2}, new Shape(1, 2, 2, 2)).transpose(0, 2, 3, 1);
            float[] y = grn.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
            assertClose(new float[] {1.6635082f, 0.2f, 3.2270164f, 0.3270169f, 4.7905245f, 0.45403385f,
                -1.4635081f, 0.45403385f}, y, 1e-5f);
        }
    }

    @Test
    void grnGradientIsFiniteOnAnAllZeroChannel() {
        try (NDManager m = NDManager.newBaseManager()) {
            GlobalResponseNorm grn = new GlobalResponseNorm(2);
            grn.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 2));
            grn.getParameters().get("gamma").getArray().set(new float[] {0.5f, -1f});
            NDArray x = m.create(new float[] {0f, 3f}, new Shape(1, 1, 1, 2)); // channel 0 is all zero
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray y = grn.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.sum());
            }
            for (float g : x.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "gradient " + java.util.Arrays.toString(x.getGradient().toFloatArray()));
            }
        }
    }

    @Test
    void relativePositionBiasIsToeplitzInTheClippedOffset() {
        try (NDManager m = NDManager.newBaseManager()) {
            RelativePositionBias pos = new RelativePositionBias(1, 1);
            pos.initialize(m, DataType.FLOAT32, new Shape(1, 1, 3, 3));
            pos.getParameters().get("table").getArray().set(new float[] {10, 20, 30}); // offsets -1, 0, +1
            float[] y = pos.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 1, 3, 3))), false)
                    .singletonOrThrow().toFloatArray();
            // y[i, j] = table[clip(j - i, -1, 1) + 1]
            assertArrayEquals(new float[] {20, 30, 30, 10, 20, 30, 10, 10, 20}, y);
        }
    }

    @Test
    void bicubicResizeMatchesTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[12];
            for (int i = 0; i < 12; i++) {
                v[i] = i * i / 7f - 1f;
            }
            NDArray x = m.create(v, new Shape(1, 1, 3, 4));
            // F.interpolate(x, size, mode="bicubic", align_corners=False), torch 1.13.1
            assertClose(new float[] {-1.222718f, -1.227745f, -1.20291f, -1.080428f, -0.818109f, -0.449252f,
                -0.202873f, -0.65686f, -0.483686f, -0.16817f, 0.238431f, 0.78487f, 1.444409f, 1.868989f, 1.158151f,
                1.627173f, 2.425278f, 3.303572f, 4.321702f, 5.46383f, 6.184259f, 5.441737f, 6.206605f, 7.487298f,
                8.837286f, 10.327106f, 11.951825f, 12.968104f, 8.549309f, 9.492377f, 11.063751f, 12.69786f,
                14.471798f, 16.387197f, 17.581682f}, Ops.resizeBicubic(x, 5, 7).toFloatArray(), 2e-5f);
            assertClose(new float[] {-0.682555f, -0.091518f, 1.09608f, 6.943469f, 10.073661f, 13.800418f},
                    Ops.resizeBicubic(x, 2, 3).toFloatArray(), 2e-5f);
            assertArrayEquals(v, Ops.resizeBicubic(x, 3, 4).toFloatArray());
            assertEquals(new Shape(2, 5, 1, 6), Ops.resizeBicubic(m.ones(new Shape(2, 5, 3, 3)), 1, 6).getShape());
            assertThrows(IllegalArgumentException.class, () -> Ops.resizeBicubic(m.ones(new Shape(3)), 2, 2));
        }
    }

    @Test
    void raftMixingOffItsGridResizesToTheGridAndBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            RaftTokenMixing raft = new RaftTokenMixing(4, 2, 3, 3, 2, 0f, 0f);
            raft.initialize(m, DataType.FLOAT32, new Shape(1, 5, 4, 4));
            // zero second layers: both token MLPs add nothing, so the output is the input resized 5x4 -> 3x3 -> 5x4
            raft.getParameters().forEach(p -> {
                if (p.getKey().startsWith("03fc2V") || p.getKey().startsWith("06fc2H")) {
                    p.getValue().getArray().set(new float[(int) p.getValue().getArray().size()]);
                }
            });
            NDArray x = m.randomNormal(new Shape(1, 5, 4, 4));
            NDArray y = raft.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray want = Ops.resizeBicubic(Ops.resizeBicubic(x.transpose(0, 3, 1, 2), 3, 3), 5, 4)
                    .transpose(0, 2, 3, 1);
            assertClose(want.toFloatArray(), y.toFloatArray(), 1e-6f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> raft.getOutputShapes(new Shape[] {new Shape(1, 3, 3, 6)}));
            assertTrue(e.getMessage().contains("axis 3 must be 4"), e.getMessage());
        }
    }

    private static void assertClose(float[] want, float[] got, float tol) {
        assertEquals(want.length, got.length, "length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "element " + i);
        }
    }
}
