package io.github.mlpzoo.core.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.ctr.BilinearFusion;
import io.github.mlpzoo.core.nn.embeddings.PeriodicEmbeddings;
import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.nn.ensemble.BatchEnsembleLinear;
import io.github.mlpzoo.core.nn.ensemble.LinearEnsemble;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Parameter and MAC counts against hand-computed figures (fvcore convention, batch 1). */
class ModelProfileTest {

    static {
        Engines.configureOffline();
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    @Test
    void linear8To16() {
        Linear fc = linear(16);
        ModelProfile p = ModelProfile.of(fc, new Shape(1, 8));
        assertEquals(144, p.params()); // 16*8 weights + 16 biases
        assertEquals(0, p.buffers());
        assertEquals(128, p.macs()); // 8*16, bias adds not counted
        assertEquals("144 params, 128 MACs", p.summary());
        assertEquals(Map.of("Linear", 128L), p.macsByBlock());
        // an uninitialized block is handed back uninitialized, and still initializes and runs normally
        assertFalse(fc.isInitialized());
        try (NDManager m = NDManager.newBaseManager()) {
            fc.initialize(m, DataType.FLOAT32, new Shape(2, 8));
            NDList y = fc.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 8))), false);
            assertEquals(new Shape(2, 16), y.head().getShape());
        }
    }

    @Test
    void batchAxisCountsAsOneAndTokensMultiply() {
        assertEquals(128, ModelProfile.of(linear(16), new Shape(32, 8)).macs());
        // (B, 5 tokens, 8) -> (B, 5, 16): 5 * 8 * 16
        assertEquals(640, ModelProfile.of(linear(16), new Shape(4, 5, 8)).macs());
        assertEquals(128, ModelProfile.of(linear(16), new DataDesc(new Shape(1, 8))).macs());
    }

    @Test
    void twoLayerMlp() {
        SequentialBlock mlp = new SequentialBlock().add(linear(256)).add(Activation::relu).add(linear(10));
        ModelProfile p = ModelProfile.of(mlp, new Shape(1, 784));
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, p.params()); // 203,530
        assertEquals(784 * 256 + 256 * 10, p.macs()); // 203,264
        assertEquals("203.53K params, 203.26K MACs", p.summary());
        assertEquals(Map.of("01Linear", 200704L, "03Linear", 2560L), p.macsByBlock());
        assertEquals(List.of(), p.uncounted());
    }

    @Test
    void conv2d() {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).optPadding(new Shape(1, 1))
                .build();
        ModelProfile p = ModelProfile.of(conv, new Shape(1, 3, 32, 32));
        assertEquals(16 * 3 * 9 + 16, p.params()); // 448
        // output (1, 16, 32, 32) = 16,384 positions, each 3 * 3 * 3 = 27 MACs
        assertEquals(16L * 32 * 32 * 27, p.macs()); // 442,368
    }

    @Test
    void groupedAndDepthwiseConv2d() {
        Conv2d grouped = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).optGroups(4)
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build();
        ModelProfile p = ModelProfile.of(grouped, new Shape(1, 8, 10, 10));
        assertEquals(16 * 2 * 9 + 16, p.params()); // weight (16, 8/4, 3, 3) + bias = 304
        // output (1, 16, 5, 5): floor((10 + 2 - 3) / 2) + 1 = 5; each output sees 8/4 = 2 channels * 9
        assertEquals(16L * 5 * 5 * 2 * 9, p.macs()); // 7,200
        Conv2d depthwise = Conv2d.builder().setKernelShape(new Shape(7, 7)).setFilters(8).optGroups(8)
                .optPadding(new Shape(3, 3)).optBias(false).build();
        ModelProfile d = ModelProfile.of(depthwise, new Shape(1, 8, 14, 14));
        assertEquals(8 * 49, d.params());
        assertEquals(8L * 14 * 14 * 49, d.macs()); // 76,832
    }

    @Test
    void conv1d() {
        Conv1d conv = Conv1d.builder().setKernelShape(new Shape(5)).setFilters(6).build();
        ModelProfile p = ModelProfile.of(conv, new Shape(1, 4, 20));
        assertEquals(6 * 4 * 5 + 6, p.params()); // 126
        assertEquals(6L * 16 * 4 * 5, p.macs()); // output length 16: 1,920
    }

    @Test
    void parallelBranchesAndBatchNormBuffers() {
        ParallelBlock two = new ParallelBlock(
                list -> new NDList(list.get(0).head().concat(list.get(1).head(), 1)),
                List.of(new SequentialBlock().add(linear(4)).add(BatchNorm.builder().build()), linear(6)));
        ModelProfile p = ModelProfile.of(two, new Shape(2, 3));
        assertEquals((3 * 4 + 4) + (4 + 4) + (3 * 6 + 6), p.params()); // BatchNorm gamma and beta count
        assertEquals(4 + 4, p.buffers()); // running mean and variance do not
        assertEquals(3 * 4 + 3 * 6, p.macs());
    }

    @Test
    void initializedBlockKeepsItsParameters() {
        SequentialBlock mlp = new SequentialBlock().add(linear(5)).add(Activation::relu).add(linear(2));
        try (NDManager m = NDManager.newBaseManager()) {
            mlp.initialize(m, DataType.FLOAT32, new Shape(8, 3));
            NDArray x = m.randomNormal(new Shape(8, 3));
            float[] before = mlp.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            ModelProfile p = ModelProfile.of(mlp, new Shape(8, 3));
            assertEquals((3 * 5 + 5) + (5 * 2 + 2), p.params()); // 32
            assertEquals(3 * 5 + 5 * 2, p.macs());
            assertTrue(mlp.isInitialized());
            float[] after = mlp.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            assertArrayEquals(before, after, 0f);
            // shapes that disagree with the weights are an error naming the axis and the size
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelProfile.of(mlp, new Shape(1, 4)));
            assertTrue(e.getMessage().contains("axis 1 must be 3"), e.getMessage());
            // and the failed profile left the block as it was
            assertArrayEquals(new Shape[] {new Shape(8, 3)}, mlp.getInputShapes());
            assertArrayEquals(new Shape[] {new Shape(8, 3)}, ((ai.djl.nn.AbstractBaseBlock) mlp.getChildren().get(0).getValue()).getInputShapes());
            assertArrayEquals(before,
                    mlp.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray(), 0f);
        }
    }

    @Test
    void macCounterAddsOwnMatMulToChildren() {
        TokenMixer mixer = new TokenMixer.Declaring(6, 4);
        ModelProfile p = ModelProfile.of(mixer, new Shape(1, 6, 4));
        // own: (6, 6) @ (6, 4) = 144; child Linear on (1, 6, 4) -> (1, 6, 4): 6 * 4 * 4 = 96
        assertEquals(144 + 96, p.macs());
        assertEquals(6 * 6 + 4 * 4 + 4, p.params());
        assertEquals(Map.of("Declaring", 144L, "01channel", 96L), p.macsByBlock());
        assertEquals(List.of(), p.uncounted());
    }

    @Test
    void weightOwnerWithoutMacRuleIsReportedNotSilentlyZero() {
        ModelProfile p = ModelProfile.of(new TokenMixer(6, 4), new Shape(1, 6, 4));
        assertEquals(96, p.macs());
        assertEquals(List.of("TokenMixer"), p.uncounted());
        assertEquals("56 params, 96 MACs (MACs not counted in TokenMixer)", p.summary());
    }

    @Test
    void placeholderChildShapeIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelProfile.of(new Placeholder(), new Shape(1, 3, 8)));
        assertTrue(e.getMessage().contains("01fc was initialized with placeholder shape (-1, 8)"), e.getMessage());
    }

    @Test
    void matMulMacs() {
        assertEquals(2 * 3 * 4 * 5, MacCounter.matMul(new Shape(2, 3, 4), new Shape(4, 5)));
        assertEquals(10 * 3 * 4 * 6, MacCounter.matMul(new Shape(2, 1, 3, 4), new Shape(5, 4, 6)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MacCounter.matMul(new Shape(3, 4), new Shape(5, 6)));
        assertTrue(e.getMessage().contains("axis 0 of (5, 6) must be 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MacCounter.matMul(new Shape(4), new Shape(4, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> MacCounter.matMul(new Shape(2, 3, 4), new Shape(3, 4, 5)));
    }

    @Test
    void humanFigures() {
        assertEquals("0", ModelProfile.human(0));
        assertEquals("999", ModelProfile.human(999));
        assertEquals("1.00K", ModelProfile.human(1000));
        assertEquals("1.23K", ModelProfile.human(1234));
        assertEquals("1.00M", ModelProfile.human(999_999));
        assertEquals("1.23M", ModelProfile.human(1_234_567));
        assertEquals("4.56G", ModelProfile.human(4_560_000_000L));
    }

    /**
     * (B, T, C) -> (B, T, C): tokens mixed by its own (T, T) weight, then channels by a Linear child; only
     * the {@link Declaring} subclass declares the token matMul through {@link MacCounter}.
     */
    static class TokenMixer extends AbstractBlock {
        private final Parameter weight;
        private final Linear channel;

        TokenMixer(int tokens, int channels) {
            super((byte) 1);
            weight = addParameter(Parameter.builder().setName("tokenWeight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(tokens, tokens)).build());
            channel = addChildBlock("channel", linear(channels));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray mixed = ps.getValue(weight, x.getDevice(), training).matMul(x);
            return channel.forward(ps, new NDList(mixed), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            channel.initialize(manager, dataType, inputShapes);
        }

        /** The same block declaring its token-mixing matMul. */
        static final class Declaring extends TokenMixer implements MacCounter {
            Declaring(int tokens, int channels) {
                super(tokens, channels);
            }

            @Override
            public long macs(Shape[] inputShapes) {
                long t = inputShapes[0].get(1);
                return MacCounter.matMul(new Shape(t, t), inputShapes[0]);
            }
        }
    }

    @Test
    void ensembleLinearsCountKMatMuls() {
        // k=4 members, 3 -> 5: one (1, 3) @ (3, 5) per member
        ModelProfile packed = ModelProfile.of(new LinearEnsemble(3, 5, 4, true), new Shape(2, 4, 3));
        assertEquals(4 * 3 * 5 + 4 * 5, packed.params());
        assertEquals(4 * 3 * 5, packed.macs());
        assertEquals(List.of(), packed.uncounted());
        ModelProfile be = ModelProfile.of(
                BatchEnsembleLinear.builder().setInFeatures(3).setOutFeatures(5).setK(4).build(), new Shape(2, 4, 3));
        assertEquals(5 * 3 + 4 * 3 + 4 * 5 + 4 * 5, be.params()); // shared W, r, s, bias
        assertEquals(4 * 3 * 5, be.macs()); // the shared matMul; x ⊙ r and ⊙ s are element-wise
        assertEquals(List.of(), be.uncounted());
    }

    @Test
    void numericalEmbeddingsCountTheirPerFeatureMatMul() {
        // 2 features, 4 bins, d=3: (2, 1, 4) @ (2, 4, 3); linear0 and the encoding are element-wise
        ModelProfile ple = ModelProfile.of(new PiecewiseLinearEmbeddings(2, 4, 3, false), new Shape(1, 2));
        assertEquals(2 * 4 * 3, ple.macs());
        assertEquals(List.of(), ple.uncounted());
        // 2 features, K=4 frequencies, d=3: (2, 1, 8) @ (2, 8, 3)
        ModelProfile plr = ModelProfile.of(new PeriodicEmbeddings(2, 4, 3, 0.01f, true), new Shape(5, 2));
        assertEquals(2 * 8 * 3, plr.macs());
        assertEquals(List.of(), plr.uncounted());
    }

    @Test
    void bilinearFusionCountsBothMatMulsAndItsLinears() {
        // dx=4, dy=6, 2 heads (hx=2, hy=3), out=1: x_j W_j = 2*2*3*1, then · y_j = 2*1*3; w_x 4, w_y 6
        ModelProfile p = ModelProfile.of(new BilinearFusion(4, 6, 2, 1), new Shape(1, 4), new Shape(1, 6));
        assertEquals(12 + 6 + 4 + 6, p.macs());
        assertEquals(18L, p.macsByBlock().get("BilinearFusion"));
        assertEquals(List.of(), p.uncounted());
    }

    /** Initializes its Linear child with a placeholder batch axis, as DJL's attention block does. */
    static final class Placeholder extends AbstractBlock {
        private final Linear fc;

        Placeholder() {
            super((byte) 1);
            fc = addChildBlock("fc", linear(2));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return fc.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), 2)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            fc.initialize(manager, dataType, new Shape(-1, 8));
        }
    }
}
