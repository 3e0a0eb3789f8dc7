package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * The spatial gating unit of gMLP (Liu et al., <i>Pay Attention to MLPs</i>, NeurIPS 2021, §2.1, eq. 2–3; timm
 * {@code models/mlp_mixer.py}, {@code SpatialGatingUnit}): the channels are split in two halves; the second is
 * normalized and mixed across tokens by a linear map, then gates the first:
 * <pre>
 *   u, v = split(x, 2, axis = channels)             u = first half
 *   v = LayerNorm(v)                                 eps 1e-5 (timm's default nn.LayerNorm)
 *   v = (W · v + b),  W: (N, N) over tokens         init W ~ N(0, 1e-6), b = 1, so the unit starts as u
 *   y = u ⊙ v
 * </pre>
 * Shapes: input {@code (B, N, 2h)}, output {@code (B, N, h)}. Parameters {@code 01norm_gamma/beta (h)},
 * {@code 02proj_weight (N, N)}, {@code 02proj_bias (N)} (official {@code gate.norm.*}, {@code gate.proj.*}).
 */
public final class SpatialGatingUnit extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int tokens;
    private final int width;
    private final LayerNorm norm;
    private final Linear proj;

    /**
     * A gate over {@code tokens} tokens for inputs of {@code 2 * width} channels.
     *
     * @param width h, the output channels (half the input's)
     */
    public SpatialGatingUnit(int tokens, int width) {
        super(VERSION);
        if (tokens < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "SpatialGatingUnit needs tokens, width >= 1; got tokens=" + tokens + ", width=" + width);
        }
        this.tokens = tokens;
        this.width = width;
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(1e-5f).build());
        proj = addChildBlock("proj", Linear.builder().setUnits(tokens).build());
        proj.setInitializer(new NormalInitializer(1e-6f), Parameter.Type.WEIGHT);
        proj.setInitializer(new ConstantInitializer(1f), Parameter.Type.BIAS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("SpatialGatingUnit", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDList halves = x.split(2, 2);
        NDArray u = halves.get(0); // (B, N, h)
        NDArray v = norm.forward(ps, new NDList(halves.get(1)), training).singletonOrThrow();
        v = proj.forward(ps, new NDList(v.transpose(0, 2, 1)), training).singletonOrThrow(); // (B, h, N)
        return new NDList(u.mul(v.transpose(0, 2, 1)));
    }

    private void check(Shape s) {
        InputCheck.shape("SpatialGatingUnit", "input (B, N, 2h)", s, InputCheck.ANY, tokens, 2L * width);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {new Shape(s.get(0), tokens, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        norm.initialize(manager, dataType, new Shape(s.get(0), tokens, width));
        proj.initialize(manager, dataType, new Shape(s.get(0), width, tokens));
    }

    @Override
    public String toString() {
        return "SpatialGatingUnit(tokens " + tokens + ", " + 2 * width + " -> " + width + ")";
    }
}
