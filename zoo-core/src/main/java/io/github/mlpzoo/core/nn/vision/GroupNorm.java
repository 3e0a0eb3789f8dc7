package io.github.mlpzoo.core.nn.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Group normalization (Wu &amp; He, ECCV 2018), as PyTorch's {@code nn.GroupNorm(G, C)}, which DJL 0.29 lacks: the
 * channels are split into G contiguous groups, each sample's group is normalized over its channels and all spatial
 * positions with the biased variance, then every channel gets its own affine factor:
 * <pre>
 *   x̂ = (x - mean_g) / sqrt(var_g + eps),   y = gamma_c · x̂ + beta_c
 * </pre>
 * PoolFormer ({@code models/poolformer.py}, {@code GroupNorm(1, C)}) uses one group, i.e. a LayerNorm over
 * {@code (C, H, W)} with per-channel affine ({@link #singleGroup}).
 *
 * <p>Shapes: input {@code (B, C, ...)} of rank &ge; 2; output the same. Parameters {@code gamma (C)} = 1 and
 * {@code beta (C)} = 0 at start (official {@code weight}, {@code bias}).
 */
public final class GroupNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final int channels;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * {@code nn.GroupNorm(groups, channels, eps)}.
     *
     * @throws IllegalArgumentException unless {@code groups} divides {@code channels}
     */
    public GroupNorm(int groups, int channels, float eps) {
        super(VERSION);
        if (groups < 1 || channels < 1 || channels % groups != 0 || !(eps > 0f)) {
            throw new IllegalArgumentException(String.format(
                    "GroupNorm needs groups >= 1 dividing channels >= 1 and eps > 0; got groups=%d, channels=%d, eps=%s",
                    groups, channels, eps));
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ONES).optShape(new Shape(channels)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optInitializer(Initializer.ZEROS).optShape(new Shape(channels)).build());
    }

    /** PoolFormer's norm: {@code nn.GroupNorm(1, channels)} with PyTorch's default eps 1e-5. */
    public static GroupNorm singleGroup(int channels) {
        return new GroupNorm(1, channels, 1e-5f);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GroupNorm", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        check(s);
        long per = s.size() / s.get(0) / groups;
        NDArray w = ps.getValue(gamma, x.getDevice(), training);
        NDArray b = ps.getValue(beta, x.getDevice(), training);
        if (groups == 1) {
            // one group: the per-channel affine expanded over the spatial positions is a valid affine of PyTorch's
            // fused layer_norm over (C · spatial), so the whole norm is one native op forward and one backward; the
            // expansion is (C · spatial), a batch's worth smaller than the input
            long spatial = per / channels;
            NDArray wc = w.reshape(channels, 1); // views on the parameters' manager: hand them to the input's
            wc.attach(x.getManager());
            NDArray bc = b.reshape(channels, 1);
            bc.attach(x.getManager());
            NDArray wFull = wc.broadcast(new Shape(channels, spatial)).reshape(per);
            NDArray bFull = bc.broadcast(new Shape(channels, spatial)).reshape(per);
            return new NDList(LayerNorm.layerNorm(x.reshape(s.get(0), per), new Shape(per), wFull, bFull, eps)
                    .singletonOrThrow().reshape(s));
        }
        // PyTorch's fused layer_norm over each (sample, group) row, unit affine: one native op (and one in backward)
        // instead of the mean/centre/square/mean/sqrt/div chain; the per-channel affine follows
        NDArray g = x.reshape(s.get(0), groups, per); // (B, G, C/G · spatial)
        NDArray y;
        try (NDArray one = x.getManager().ones(new Shape(per), x.getDataType());
                NDArray zero = x.getManager().zeros(new Shape(per), x.getDataType())) {
            y = LayerNorm.layerNorm(g, new Shape(per), one, zero, eps).singletonOrThrow().reshape(s);
        }
        long[] dims = new long[s.dimension() - 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = channels;
        Shape affine = new Shape(dims); // (C, 1, ..., 1)
        // reshaped views of the parameters belong to the parameters' manager: hand them to the input's
        NDArray wc = w.reshape(affine);
        wc.attach(x.getManager());
        NDArray bc = b.reshape(affine);
        bc.attach(x.getManager());
        return new NDList(y.mul(wc).add(bc));
    }

    private void check(Shape s) {
        if (s.dimension() < 2 || s.get(1) != channels) {
            throw new IllegalArgumentException(String.format(
                    "GroupNorm expects input (B, %d, ...): axis 1 must be %d; got %s", channels, channels, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ", eps " + eps + ")";
    }
}
