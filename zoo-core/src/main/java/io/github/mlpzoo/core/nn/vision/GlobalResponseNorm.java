package io.github.mlpzoo.core.nn.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;

/**
 * Global response normalization, GRN (Woo et al., <i>ConvNeXt V2</i>, CVPR 2023, §3, Alg. 1; Strip-MLP's
 * {@code GRN} in Med-Process/Strip_MLP {@code models/strip_mlp.py}), on a channels-last map:
 * <pre>
 *   G[b, c] = ||x[b, :, :, c]||_2                       (L2 norm over H, W)
 *   N[b, c] = G[b, c] / (mean_c' G[b, c'] + 1e-6)
 *   y       = gamma ⊙ (x ⊙ N) + beta + x
 * </pre>
 * The norm's gradient is 0 where a channel is all zero, as {@code torch.norm}'s (a plain
 * {@code sqrt(sum(x²))} gives NaN there, which a ReLU/GELU map on a 1×1 grid reaches in training).
 *
 * <p>Shapes: input {@code (B, H, W, C)}, output the same. Parameters {@code gamma (1, 1, 1, C)} and
 * {@code beta (1, 1, 1, C)}, both initialized to 0 (so the block starts as the identity), stored in the official
 * layout.
 */
public final class GlobalResponseNorm extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-6f;
    private static final float TINY = 1e-30f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    /** GRN over {@code channels} channels (the last axis). */
    public GlobalResponseNorm(int channels) {
        super(VERSION);
        if (channels < 1) {
            throw new IllegalArgumentException("GlobalResponseNorm channels must be >= 1; got " + channels);
        }
        this.channels = channels;
        Shape s = new Shape(1, 1, 1, channels);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ZEROS).optShape(s).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optInitializer(Initializer.ZEROS).optShape(s).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GlobalResponseNorm", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        // ||x|| as torch.norm computes it, including its gradient 0 (not 0 · ∞ = NaN) where the norm is 0: the sum
        // is floored at 1e-30 before the square root, which changes no norm above 1e-15
        NDArray g = Scalars.maximum(x.square().sum(new int[] {1, 2}, true), TINY).sqrt(); // (B, 1, 1, C)
        NDArray n = g.div(g.mean(new int[] {3}, true).add(EPS)); // (B, 1, 1, C)
        NDArray gm = ps.getValue(gamma, x.getDevice(), training);
        NDArray bt = ps.getValue(beta, x.getDevice(), training);
        return new NDList(x.mul(n).mul(gm).add(bt).add(x));
    }

    private void check(Shape s) {
        InputCheck.shape("GlobalResponseNorm", "input (B, H, W, C)", s, InputCheck.ANY, InputCheck.ANY,
                InputCheck.ANY, channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "GlobalResponseNorm(" + channels + ")";
    }
}
