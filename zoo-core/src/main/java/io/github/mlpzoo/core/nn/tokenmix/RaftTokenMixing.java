package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.ops.Ops;

/**
 * Vertical then horizontal raft token mixing (Tatsunami &amp; Taki, <i>RaftMLP: How Much Can Be Done Without
 * Attention and with Less Spatial Locality?</i>, arXiv 2108.04384, §3.1; official {@code RaftShrink} →
 * {@code PermutedBlock} (vertical) → {@code Rearrange} → {@code PermutedBlock} (horizontal) →
 * {@code RaftExpansion} in okojoalg/raft-mlp {@code libs/modules.py}). The C channels form C/r "rafts" of r channels
 * (channel {@code i·C/r + j} is member i of raft j); the vertical mixer is an MLP over the r·H values of one raft
 * in one column, the horizontal mixer one over the r·W values of one raft in one row:
 * <pre>
 *   x = x + DropPath(fc2_v(Dropout(GELU(fc1_v(LN_v(x))))))     features (member, row), e·r·H hidden
 *   x = x + DropPath(fc2_h(Dropout(GELU(fc1_h(LN_h(x))))))     features (member, column)
 * </pre>
 * Each LayerNorm normalizes the C channels of a position, its affine weights indexed in the official permuted order
 * {@code raft·r + member}. The token MLPs are sized for the grid H×W given at construction; another grid (another
 * input size) is resized to it by bicubic interpolation before mixing and back afterwards, as the official code does
 * ({@link Ops#resizeBicubic}).
 *
 * <p>Shapes: input {@code (B, h, w, C)} (channels last, any grid), output the same. Children {@code 01normV},
 * {@code 02fc1V}, {@code 03fc2V}, {@code 04normH}, {@code 05fc1H}, {@code 06fc2H} (official
 * {@code 1.norm.1}, {@code 1.fn.0}, {@code 1.fn.3}, {@code 3.norm.1}, {@code 3.fn.0}, {@code 3.fn.3} of a block);
 * LayerNorm eps 1e-5; PyTorch's default Linear initialization.
 */
public final class RaftTokenMixing extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int raft;
    private final int height;
    private final int width;
    private final float dropout;
    private final float dropPath;
    private final LayerNorm normV;
    private final Linear fc1V;
    private final Linear fc2V;
    private final LayerNorm normH;
    private final Linear fc1H;
    private final Linear fc2H;

    /**
     * Raft token mixing of {@code channels} channels in rafts of {@code raft}, sized for a {@code height × width}
     * grid, with hidden widths {@code expansion} times the mixed length.
     */
    public RaftTokenMixing(int channels, int raft, int height, int width, int expansion, float dropout,
            float dropPath) {
        super(VERSION);
        if (channels < 1 || raft < 1 || channels % raft != 0 || height < 1 || width < 1 || expansion < 1
                || !(dropout >= 0f && dropout < 1f) || !(dropPath >= 0f && dropPath < 1f)) {
            throw new IllegalArgumentException(String.format(
                    "RaftTokenMixing needs channels a multiple of raft >= 1, a grid and expansion >= 1, dropout and "
                            + "dropPath in [0, 1); got channels %d, raft %d, grid %dx%d, expansion %d, %s, %s",
                    channels, raft, height, width, expansion, dropout, dropPath));
        }
        this.channels = channels;
        this.raft = raft;
        this.height = height;
        this.width = width;
        this.dropout = dropout;
        this.dropPath = dropPath;
        normV = addChildBlock("normV", LayerNorm.builder().axis(3).build());
        fc1V = addChildBlock("fc1V", linear(expansion * raft * height));
        fc2V = addChildBlock("fc2V", linear(raft * height));
        normH = addChildBlock("normH", LayerNorm.builder().axis(3).build());
        fc1H = addChildBlock("fc1H", linear(expansion * raft * width));
        fc2H = addChildBlock("fc2H", linear(raft * width));
    }

    private static Linear linear(int units) {
        return TorchInit.apply(Linear.builder().setUnits(units).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("RaftTokenMixing", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        Shape s = x.getShape();
        long b = s.get(0);
        boolean resize = s.get(1) != height || s.get(2) != width;
        if (resize) { // (B, h, w, C) -> (B, H, W, C)
            x = Ops.resizeBicubic(x.transpose(0, 3, 1, 2), height, width).transpose(0, 2, 3, 1);
        }
        long co = channels / raft;
        // vertical: features (member, row) of each (raft, column)
        NDArray n = norm(ps, normV, x, training).reshape(b, height, width, co, raft)
                .transpose(0, 3, 2, 4, 1).reshape(b, co * width, (long) raft * height); // (B, co·W, r·H)
        NDArray f = mlp(ps, fc1V, fc2V, n, training).reshape(b, co, width, raft, height)
                .transpose(0, 4, 2, 3, 1).reshape(b, height, width, channels); // (B, H, W, C)
        x = x.add(DropPath.dropPath(f, dropPath, training));
        // horizontal: features (member, column) of each (raft, row)
        n = norm(ps, normH, x, training).reshape(b, height, width, co, raft)
                .transpose(0, 3, 1, 4, 2).reshape(b, co * height, (long) raft * width); // (B, co·H, r·W)
        f = mlp(ps, fc1H, fc2H, n, training).reshape(b, co, height, raft, width)
                .transpose(0, 2, 4, 3, 1).reshape(b, height, width, channels);
        x = x.add(DropPath.dropPath(f, dropPath, training));
        if (resize) {
            x = Ops.resizeBicubic(x.transpose(0, 3, 1, 2), s.get(1), s.get(2)).transpose(0, 2, 3, 1);
        }
        return new NDList(x);
    }

    /** LayerNorm over the C channels of each position in the order raft·r + member; output (B, H, W, C). */
    private NDArray norm(ParameterStore ps, LayerNorm norm, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        NDArray permuted = x.reshape(b, height, width, raft, channels / raft).transpose(0, 1, 2, 4, 3)
                .reshape(b, height, width, channels);
        return norm.forward(ps, new NDList(permuted), training).singletonOrThrow();
    }

    private NDArray mlp(ParameterStore ps, Linear fc1, Linear fc2, NDArray x, boolean training) {
        NDArray h = Activation.gelu(fc1.forward(ps, new NDList(x), training).singletonOrThrow());
        h = drop(h, training);
        return drop(fc2.forward(ps, new NDList(h), training).singletonOrThrow(), training);
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private void check(Shape s) {
        InputCheck.shape("RaftTokenMixing", "input (B, h, w, C)", s, InputCheck.ANY, InputCheck.ANY, InputCheck.ANY,
                channels);
        if (s.get(1) < 1 || s.get(2) < 1) {
            throw new IllegalArgumentException("RaftTokenMixing expects a grid of at least 1x1; got " + s);
        }
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
        long b = s.get(0);
        long co = channels / raft;
        Shape grid = new Shape(b, height, width, channels);
        normV.initialize(manager, dataType, grid);
        fc1V.initialize(manager, dataType, new Shape(b, co * width, (long) raft * height));
        fc2V.initialize(manager, dataType, new Shape(b, co * width, fc1V.getOutputShapes(
                new Shape[] {new Shape(b, co * width, (long) raft * height)})[0].get(2)));
        normH.initialize(manager, dataType, grid);
        fc1H.initialize(manager, dataType, new Shape(b, co * height, (long) raft * width));
        fc2H.initialize(manager, dataType, new Shape(b, co * height, fc1H.getOutputShapes(
                new Shape[] {new Shape(b, co * height, (long) raft * width)})[0].get(2)));
    }

    @Override
    public String toString() {
        return "RaftTokenMixing(" + channels + " channels, rafts of " + raft + ", grid " + height + "x" + width + ")";
    }
}
