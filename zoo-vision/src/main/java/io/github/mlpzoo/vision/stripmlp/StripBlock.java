package io.github.mlpzoo.vision.stripmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.nn.tokenmix.CascadeGroupStripMixing;
import io.github.mlpzoo.core.nn.tokenmix.LocalStripMixing;
import io.github.mlpzoo.core.nn.vision.GlobalResponseNorm;

/**
 * One Strip-MLP block (official {@code BasicBlock}): {@code x = x + DropPath(TokenMixing(x));
 * x = x + DropPath(ChannelMixing(x))} on {@code (B, C, S, S)}. Children {@code 01tokenMixing},
 * {@code 02channelMixing}.
 */
final class StripBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int side;
    private final float dropPath;
    private final TokenMixing tokenMixing;
    private final ChannelMixing channelMixing;

    StripBlock(int channels, int side, int alpha, float dropPath) {
        super(VERSION);
        this.channels = channels;
        this.side = side;
        this.dropPath = dropPath;
        tokenMixing = addChildBlock("tokenMixing", new TokenMixing(channels, side));
        channelMixing = addChildBlock("channelMixing", new ChannelMixing(channels, alpha));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray t = tokenMixing.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(DropPath.dropPath(t, dropPath, training));
        NDArray c = channelMixing.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(x.add(DropPath.dropPath(c, dropPath, training)));
    }

    private void check(Shape s) {
        InputCheck.shape("StripBlock", "input (B, C, H, W)", s, InputCheck.ANY, channels, side, side);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        tokenMixing.initialize(manager, dataType, inputShapes);
        channelMixing.initialize(manager, dataType, inputShapes);
    }

    @Override
    public String toString() {
        return "StripBlock(" + channels + ", " + side + "x" + side + ")";
    }

    static Conv2d depthwise(int channels, int k) {
        return TorchInit.apply(Conv2d.builder().setFilters(channels).setKernelShape(new Shape(k, k))
                .optPadding(new Shape(k / 2, k / 2)).optGroups(channels).optBias(false).build());
    }

    static Conv2d pointwise(int filters, boolean bias) {
        return TorchInit.apply(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)).optBias(bias)
                .build());
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /**
     * The official {@code TokenMixing}: {@code dwsc} (BN → GELU → depthwise 3×3, no bias), then
     * {@code StripMLP_Block}: Conv1×1 → BN → GELU, the first half of the channels through
     * {@link CascadeGroupStripMixing} and the second half through {@link LocalStripMixing}, and a 1×1 fusion.
     * Children {@code 01dwscNorm}, {@code 02dwscConv}, {@code 03mlpConv}, {@code 04mlpNorm}, {@code 05cgsmm},
     * {@code 06lsmm}, {@code 07fuse}.
     */
    static final class TokenMixing extends AbstractBlock {

        private final int channels;
        private final BatchNorm dwscNorm;
        private final Conv2d dwscConv;
        private final Conv2d mlpConv;
        private final BatchNorm mlpNorm;
        private final CascadeGroupStripMixing cgsmm;
        private final LocalStripMixing lsmm;
        private final Conv2d fuse;

        TokenMixing(int channels, int side) {
            super(VERSION);
            this.channels = channels;
            int half = channels / 2;
            dwscNorm = addChildBlock("dwscNorm", batchNorm());
            dwscConv = addChildBlock("dwscConv", depthwise(channels, 3));
            mlpConv = addChildBlock("mlpConv", pointwise(channels, true));
            mlpNorm = addChildBlock("mlpNorm", batchNorm());
            cgsmm = addChildBlock("cgsmm", new CascadeGroupStripMixing(half, StripMlpConfig.stripGroups(channels),
                    side));
            lsmm = addChildBlock("lsmm", new LocalStripMixing(half));
            fuse = addChildBlock("fuse", pointwise(channels, false));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            x = Activation.gelu(dwscNorm.forward(ps, new NDList(x), training).singletonOrThrow());
            x = dwscConv.forward(ps, new NDList(x), training).singletonOrThrow();
            x = mlpConv.forward(ps, new NDList(x), training).singletonOrThrow();
            x = Activation.gelu(mlpNorm.forward(ps, new NDList(x), training).singletonOrThrow()); // (B, C, H, W)
            int half = channels / 2;
            NDArray x1 = x.get(new NDIndex(":, :{}", half));
            NDArray x2 = x.get(new NDIndex(":, {}:", half));
            x1 = cgsmm.forward(ps, new NDList(x1), training).singletonOrThrow();
            x2 = lsmm.forward(ps, new NDList(x2), training).singletonOrThrow();
            return fuse.forward(ps, new NDList(NDArrays.concat(new NDList(x1, x2), 1)), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            Shape half = new Shape(s.get(0), channels / 2, s.get(2), s.get(3));
            dwscNorm.initialize(manager, dataType, s);
            dwscConv.initialize(manager, dataType, s);
            mlpConv.initialize(manager, dataType, s);
            mlpNorm.initialize(manager, dataType, s);
            cgsmm.initialize(manager, dataType, half);
            lsmm.initialize(manager, dataType, half);
            fuse.initialize(manager, dataType, s);
        }
    }

    /**
     * The official {@code ChannelMixing}: depthwise 7×7 (no bias) → channels last → LayerNorm (eps 1e-5) →
     * Linear C → αC → GELU → {@link GlobalResponseNorm} → Linear αC → C → channels first. Children
     * {@code 01conv77}, {@code 02norm}, {@code 03fc1}, {@code 04grn}, {@code 05fc2}.
     */
    static final class ChannelMixing extends AbstractBlock {

        private final int hidden;
        private final Conv2d conv77;
        private final LayerNorm norm;
        private final Linear fc1;
        private final GlobalResponseNorm grn;
        private final Linear fc2;

        ChannelMixing(int channels, int alpha) {
            super(VERSION);
            hidden = alpha * channels;
            conv77 = addChildBlock("conv77", depthwise(channels, 7));
            norm = addChildBlock("norm", LayerNorm.builder().axis(3).optEpsilon(1e-5f).build());
            fc1 = addChildBlock("fc1", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
            grn = addChildBlock("grn", new GlobalResponseNorm(hidden));
            fc2 = addChildBlock("fc2", TorchInit.apply(Linear.builder().setUnits(channels).build()));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = conv77.forward(ps, inputs, training).singletonOrThrow().transpose(0, 2, 3, 1); // (B,H,W,C)
            x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
            x = Activation.gelu(fc1.forward(ps, new NDList(x), training).singletonOrThrow()); // (B, H, W, αC)
            x = grn.forward(ps, new NDList(x), training).singletonOrThrow();
            x = fc2.forward(ps, new NDList(x), training).singletonOrThrow();
            return new NDList(x.transpose(0, 3, 1, 2)); // (B, C, H, W)
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            Shape last = new Shape(s.get(0), s.get(2), s.get(3), s.get(1));
            Shape wide = new Shape(s.get(0), s.get(2), s.get(3), hidden);
            conv77.initialize(manager, dataType, s);
            norm.initialize(manager, dataType, last);
            fc1.initialize(manager, dataType, last);
            grn.initialize(manager, dataType, wide);
            fc2.initialize(manager, dataType, wide);
        }
    }
}
