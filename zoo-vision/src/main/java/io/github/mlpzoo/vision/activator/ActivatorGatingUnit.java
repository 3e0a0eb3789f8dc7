package io.github.mlpzoo.vision.activator;

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
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * Activator's gating unit ({@code activator.py}, {@code ActivatorGatingUnit}): a GEGLU whose two halves are each
 * layer-normalised by one shared LayerNorm before the product:
 * <pre>
 *   u = LN_h(GELU(x W1ᵀ + b1)),  v = LN_h(x W2ᵀ + b2),  y = (u ⊙ v) W3ᵀ + b3
 * </pre>
 * Per token: input {@code (B, N, d)}, output the same. Children {@code proj1}, {@code proj2}, {@code proj3},
 * {@code norm} (official {@code proj_1}, {@code proj_2}, {@code proj_3}, {@code norm}).
 */
final class ActivatorGatingUnit extends AbstractBlock {

    private final int dim;
    private final int hidden;
    private final Linear proj1;
    private final Linear proj2;
    private final Linear proj3;
    private final LayerNorm norm;

    ActivatorGatingUnit(int dim, int hidden) {
        super((byte) 1);
        this.dim = dim;
        this.hidden = hidden;
        proj1 = addChildBlock("proj1", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
        proj2 = addChildBlock("proj2", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
        proj3 = addChildBlock("proj3", TorchInit.apply(Linear.builder().setUnits(dim).build()));
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("ActivatorGatingUnit", "input (B, N, d)", x, InputCheck.ANY, InputCheck.ANY, dim);
        NDArray u = Activation.gelu(proj1.forward(ps, new NDList(x), training).singletonOrThrow());
        u = norm.forward(ps, new NDList(u), training).singletonOrThrow(); // (B, N, h)
        NDArray v = proj2.forward(ps, new NDList(x), training).singletonOrThrow();
        v = norm.forward(ps, new NDList(v), training).singletonOrThrow(); // (B, N, h)
        return proj3.forward(ps, new NDList(u.mul(v)), training); // (B, N, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("ActivatorGatingUnit", "input (B, N, d)", inputShapes[0], InputCheck.ANY, InputCheck.ANY, dim);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape h = new Shape(s.get(0), s.get(1), hidden);
        proj1.initialize(manager, dataType, s);
        proj2.initialize(manager, dataType, s);
        proj3.initialize(manager, dataType, h);
        norm.initialize(manager, dataType, h);
    }
}
