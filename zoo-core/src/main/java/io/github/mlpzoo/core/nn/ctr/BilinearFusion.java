package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * FinalMLP's multi-head bilinear fusion (Mao et al., AAAI 2023, §3.3, eq. 6-7; FuxiCTR
 * {@code model_zoo/FinalMLP/src/FinalMLP.py}, class {@code InteractionAggregation}):
 * <pre>
 *   y = w_x(x) + w_y(y) + Σ_{j=1..h} x_jᵀ W_j y_j        x_j, y_j: the j-th of h equal chunks of x and y
 * </pre>
 * Inputs {@code x (B, dx)}, {@code y (B, dy)} with dx and dy divisible by h; output {@code (B, out)} (logits).
 * Parameters: children {@code 01wx} = Linear(out), {@code 02wy} = Linear(out) (xavier_normal, zero bias, as
 * FuxiCTR's {@code reset_parameters}), and {@code wxy} of shape (h · dx/h · dy/h, out), xavier_normal, FuxiCTR's
 * {@code w_xy} layout.
 */
public final class BilinearFusion extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int dx;
    private final int dy;
    private final int heads;
    private final int out;
    private final Linear wx;
    private final Linear wy;
    private final Parameter wxy;

    /** Fusion of a {@code dx}- and a {@code dy}-wide stream with {@code heads} heads into {@code out} outputs. */
    public BilinearFusion(int dx, int dy, int heads, int out) {
        super(VERSION);
        if (dx < 1 || dy < 1 || heads < 1 || out < 1 || dx % heads != 0 || dy % heads != 0) {
            throw new IllegalArgumentException(String.format(
                    "BilinearFusion needs dx and dy divisible by heads (all >= 1); got dx=%d, dy=%d, heads=%d, out=%d",
                    dx, dy, heads, out));
        }
        this.dx = dx;
        this.dy = dy;
        this.heads = heads;
        this.out = out;
        wx = addChildBlock("wx", LinearInit.XAVIER_NORMAL.apply(Linear.builder().setUnits(out).build(), 0f));
        wy = addChildBlock("wy", LinearInit.XAVIER_NORMAL.apply(Linear.builder().setUnits(out).build(), 0f));
        wxy = addParameter(Parameter.builder().setName("wxy").setType(Parameter.Type.WEIGHT)
                .optInitializer(LinearInit.xavierNormal())
                .optShape(new Shape((long) heads * (dx / heads) * (dy / heads), out)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("BilinearFusion", inputs, 2);
        NDArray x = inputs.get(0);
        NDArray y = inputs.get(1);
        check(x.getShape(), y.getShape());
        long b = x.getShape().get(0);
        int hx = dx / heads;
        int hy = dy / heads;
        NDArray w = ps.getValue(wxy, x.getDevice(), training).reshape(heads, hx, (long) hy * out);
        w.attach(x.getManager());   // the view would otherwise stay in the parameter's manager
        NDArray linear = wx.forward(ps, new NDList(x), training).singletonOrThrow()
                .add(wy.forward(ps, new NDList(y), training).singletonOrThrow());                  // (B, out)
        // heads-major, so that both products are plain batched matmuls over the heads: the official
        // (B, h, 1, hx) @ (h, hx, out·hy) broadcasts the weight to (B, h, hx, out·hy) and copies it (FinalMLP on
        // MovieLens: 1.6 GB per call at batch 1024)
        NDArray xw = x.reshape(b, heads, hx).transpose(1, 0, 2).matMul(w).reshape(heads, b, out, hy); // (h, B, out, hy)
        NDArray yh = y.reshape(b, heads, hy, 1).transpose(1, 0, 2, 3);                              // (h, B, hy, 1)
        NDArray xy = xw.matMul(yh).squeeze(-1).sum(new int[] {0});                                  // (B, out)
        return new NDList(linear.add(xy));
    }

    private void check(Shape x, Shape y) {
        InputCheck.shape("BilinearFusion", "x", x, InputCheck.ANY, dx);
        InputCheck.shape("BilinearFusion", "y", y, x.get(0), dy);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0], inputShapes[1]);
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0], inputShapes[1]);
        wx.initialize(manager, dataType, inputShapes[0]);
        wy.initialize(manager, dataType, inputShapes[1]);
    }

    @Override
    public String toString() {
        return "BilinearFusion(dx=" + dx + ", dy=" + dy + ", heads=" + heads + ", out=" + out + ")";
    }
}
