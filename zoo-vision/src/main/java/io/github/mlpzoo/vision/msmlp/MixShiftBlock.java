package io.github.mlpzoo.vision.msmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.nn.residual.LayerScale;
import io.github.mlpzoo.core.nn.tokenmix.MixShift;

/**
 * The official {@code MixShiftBlock}: one residual branch, with no norm before the token mixing,
 * <pre>
 *   y = gamma ⊙ pwconv2(GELU(pwconv1(LN(MixShift(x)))))     (channels last inside, LN eps 1e-6)
 *   out = x + DropPath(y)
 * </pre>
 * on {@code (B, C, S, S)}. Children {@code 01mixShift}, {@code 02norm}, {@code 03pwconv1}, {@code 04pwconv2},
 * {@code 05layerScale}.
 */
final class MixShiftBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int side;
    private final int hidden;
    private final float dropPath;
    private final MixShift mixShift;
    private final LayerNorm norm;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final LayerScale layerScale;

    MixShiftBlock(int channels, int side, int[] shifts, int[] sizes, float mlpRatio, float layerScaleInit,
            float dropPath) {
        super(VERSION);
        this.channels = channels;
        this.side = side;
        this.hidden = (int) (mlpRatio * channels);
        this.dropPath = dropPath;
        mixShift = addChildBlock("mixShift", new MixShift(channels, shifts, sizes));
        norm = addChildBlock("norm", MsMlp.layerNorm(3));
        pwconv1 = addChildBlock("pwconv1", MsMlp.linear(hidden));
        pwconv2 = addChildBlock("pwconv2", MsMlp.linear(channels));
        layerScale = addChildBlock("layerScale", new LayerScale(channels, layerScaleInit, false));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray y = mixShift.forward(ps, inputs, training).singletonOrThrow().transpose(0, 2, 3, 1); // (B,H,W,C)
        y = norm.forward(ps, new NDList(y), training).singletonOrThrow();
        y = Activation.gelu(pwconv1.forward(ps, new NDList(y), training).singletonOrThrow());
        y = pwconv2.forward(ps, new NDList(y), training).singletonOrThrow();
        y = layerScale.forward(ps, new NDList(y), training).singletonOrThrow().transpose(0, 3, 1, 2); // (B,C,H,W)
        return new NDList(x.add(DropPath.dropPath(y, dropPath, training)));
    }

    private void check(Shape s) {
        InputCheck.shape("MixShiftBlock", "input (B, C, H, W)", s, InputCheck.ANY, channels, side, side);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        Shape last = new Shape(s.get(0), side, side, channels);
        mixShift.initialize(manager, dataType, s);
        norm.initialize(manager, dataType, last);
        pwconv1.initialize(manager, dataType, last);
        Shape wide = new Shape(s.get(0), side, side, hidden);
        pwconv2.initialize(manager, dataType, wide);
        layerScale.initialize(manager, dataType, last);
    }

    @Override
    public String toString() {
        return "MixShiftBlock(" + channels + ", " + side + "x" + side + ", drop path " + dropPath + ")";
    }
}
