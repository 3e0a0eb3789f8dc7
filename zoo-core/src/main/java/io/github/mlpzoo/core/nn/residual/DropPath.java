package io.github.mlpzoo.core.nn.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Stochastic depth on a residual branch (Huang et al., <i>Deep Networks with Stochastic Depth</i>, ECCV 2016;
 * timm {@code layers/drop.py}, {@code drop_path} with {@code scale_by_keep=True}): in training, each sample's branch
 * is kept with probability {@code 1 - rate} and then divided by {@code 1 - rate}, else zeroed; in inference it is the
 * identity:
 * <pre>
 *   y[b] = x[b] * m[b] / (1 - rate),   m[b] ~ Bernoulli(1 - rate)   (training)
 *   y    = x                                                          (inference, or rate = 0)
 * </pre>
 * Shapes: input of any rank &ge; 1 with the batch axis first; output the same. No parameters.
 */
public final class DropPath extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float rate;

    /**
     * Drops whole samples of the branch with probability {@code rate}.
     *
     * @param rate in [0, 1)
     */
    public DropPath(float rate) {
        super(VERSION);
        check(rate);
        this.rate = rate;
    }

    /** The drop probability. */
    public float rate() {
        return rate;
    }

    /**
     * The functional form: {@code x} unchanged when not training or {@code rate == 0}, else each sample kept with
     * probability {@code 1 - rate} and scaled by {@code 1 / (1 - rate)}.
     */
    public static NDArray dropPath(NDArray x, float rate, boolean training) {
        check(rate);
        if (!training || rate == 0f) {
            return x;
        }
        Shape s = x.getShape();
        InputCheck.nonEmptyBatch("DropPath", "input", s);
        long[] dims = new long[s.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = s.get(0);
        float keep = 1f - rate;
        try (NDArray u = x.getManager().randomUniform(0f, 1f, new Shape(dims), x.getDataType());
                NDArray kept = u.lt(keep);
                NDArray mask = kept.toType(x.getDataType(), false)) {
            return x.mul(mask.divi(keep));
        }
    }

    private static void check(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("DropPath rate must be in [0, 1); got " + rate);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("DropPath", inputs, 1);
        return new NDList(dropPath(inputs.singletonOrThrow(), rate, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "DropPath(" + rate + ")";
    }
}
