package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * PoolFormer's token mixer (Yu et al., <i>MetaFormer Is Actually What You Need for Vision</i>, CVPR 2022, §3.2,
 * eq. 4; sail-sg/poolformer {@code models/poolformer.py}, class {@code Pooling}): average pooling over a k×k
 * neighbourhood that excludes the zero padding from the count ({@code count_include_pad=False}), minus the input
 * (the block adds the input back through its residual):
 * <pre>
 *   y = AvgPool_{k×k, stride 1, padding k/2, exclude padding}(x) - x
 * </pre>
 * Shapes: input {@code (B, C, H, W)}, output the same. No parameters. DJL 0.29's {@code Pool.avgPool2d} ignores
 * {@code countIncludePad=false} on PyTorch, so the average is computed as the padded average divided by the padded
 * average of ones (the fraction of the window inside the image).
 */
public final class PoolingTokenMixer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int poolSize;

    /**
     * A mixer pooling over {@code poolSize × poolSize} (odd; PoolFormer uses 3).
     */
    public PoolingTokenMixer(int poolSize) {
        super(VERSION);
        if (poolSize < 1 || poolSize % 2 == 0) {
            throw new IllegalArgumentException("PoolingTokenMixer poolSize must be odd and >= 1; got " + poolSize);
        }
        this.poolSize = poolSize;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("PoolingTokenMixer", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        Shape s = x.getShape();
        NDArray withPad = pool(x); // sum / k², the zero padding counted
        // DJL 0.29's PyTorch avgPool ignores countIncludePad=false (measured: a corner of a 4×4 map averages over 9);
        // dividing by the pooled map of ones, i.e. (cells inside the image) / k², excludes the padding exactly.
        try (NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType());
                NDArray inside = pool(ones)) {
            // in place on the fresh pooled map: no autograd node needs its old values (pooling's backward keeps
            // its input, division by a constant keeps the constant), and two full-size allocations are saved
            return new NDList(withPad.divi(inside).subi(x));
        }
    }

    private NDArray pool(NDArray x) {
        int p = poolSize / 2;
        return Pool.avgPool2d(x, new Shape(poolSize, poolSize), new Shape(1, 1), new Shape(p, p), false, true);
    }

    private static void check(Shape s) {
        InputCheck.shape("PoolingTokenMixer", "input (B, C, H, W)", s, InputCheck.ANY, InputCheck.ANY,
                InputCheck.ANY, InputCheck.ANY);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "PoolingTokenMixer(" + poolSize + ")";
    }
}
