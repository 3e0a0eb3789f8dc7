package io.github.mlpzoo.core.nn.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Layer scale (Touvron et al., <i>Going deeper with Image Transformers</i>, ICCV 2021, §3; PoolFormer's
 * {@code layer_scale_1/2} in sail-sg/poolformer {@code models/poolformer.py}): a learnable per-channel factor on a
 * residual branch, initialized to a small constant:
 * <pre>
 *   y = gamma ⊙ x,   gamma ∈ R^C, gamma = init at start
 * </pre>
 * The channel axis is either axis 1 (NCHW feature maps, gamma broadcast as {@code (C, 1, ..., 1)}, as PoolFormer
 * does with {@code unsqueeze(-1).unsqueeze(-1)}) or the last axis (token sequences {@code (B, N, C)}).
 *
 * <p>Shapes: input of rank &ge; 2 with {@code C} on the channel axis; output the same. Parameter {@code gamma (C)}
 * (official {@code layer_scale_i}).
 */
public final class LayerScale extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final boolean channelsFirst;
    private final Parameter gamma;

    /**
     * A layer scale over {@code channels} channels on axis 1 ({@code channelsFirst}) or the last axis.
     *
     * @param init the initial value of every factor
     */
    public LayerScale(int channels, float init, boolean channelsFirst) {
        super(VERSION);
        if (channels < 1) {
            throw new IllegalArgumentException("LayerScale channels must be >= 1; got " + channels);
        }
        this.channels = channels;
        this.channelsFirst = channelsFirst;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(init)).optShape(new Shape(channels)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("LayerScale", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray g = ps.getValue(gamma, x.getDevice(), training);
        if (channelsFirst) {
            long[] dims = new long[x.getShape().dimension() - 1];
            java.util.Arrays.fill(dims, 1);
            dims[0] = channels;
            g = g.reshape(new Shape(dims)); // (C, 1, ..., 1)
            g.attach(x.getManager()); // the view would otherwise stay in the parameter's manager
        }
        return new NDList(x.mul(g));
    }

    private void check(Shape s) {
        int axis = channelsFirst ? 1 : s.dimension() - 1;
        if (s.dimension() < 2 || s.get(axis) != channels) {
            throw new IllegalArgumentException(String.format(
                    "LayerScale expects input with %d channels on %s (axis %d must be %d); got %s", channels,
                    channelsFirst ? "axis 1, (B, C, ...)" : "the last axis, (B, ..., C)", axis, channels, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "LayerScale(" + channels + (channelsFirst ? ", channels first)" : ", channels last)");
    }
}
