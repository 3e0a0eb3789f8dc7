package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.vision.RelativePositionBias;

/**
 * Cascade group strip mixing, CGSMM (Cao et al., <i>Strip-MLP: Efficient Token Interaction for Vision MLP</i>,
 * ICCV 2023, §3.2; official {@code StripMLP_Block.strip_mlp} in Med-Process/Strip_MLP {@code models/strip_mlp.py}).
 * The channels are cut into P groups of G channels ({@code C = P·G}); within each channel slot g, every row strip
 * of W tokens is mixed by a fully connected layer, and each output also sums 3 adjacent rows ("cross-strip"
 * aggregation), the weights being shared by the P groups. Then the same along columns, in cascade:
 * <pre>
 *   xh = StripRows(x + posH)                      proj_h: Conv (1×3, groups G) over (B, G·W, P, H)
 *   xh = GELU(BN(fuse_h([xh, x]))) + posW         fuse_h: Conv1×1 2C → C, no bias
 *   xw = StripCols(xh)                            proj_w: Conv (1×3, groups G) over (B, G·H, P, W)
 *   y  = fuse_w([x, xw])                          fuse_w: Conv1×1 2C → C, no bias
 * </pre>
 * posH and posW are {@link RelativePositionBias}es with offsets clipped to ±H. The relative positions and the
 * BatchNorm are in the official code but not in the paper's figures. The official block asserts a square map;
 * so does this one, of the side given at construction (the strip layers' widths are H·G).
 *
 * <p>Shapes: input {@code (B, C, H, H)}, output the same. Children: {@code 01posH}, {@code 02projH}
 * ({@code (G·H, H, 1, 3)} + bias), {@code 03fuseH}, {@code 04norm} (BatchNorm, eps 1e-5), {@code 05posW},
 * {@code 06projW}, {@code 07fuseW} (official {@code relate_pos_h}, {@code proj_h}, {@code fuse_h}, {@code BN},
 * {@code relate_pos_w}, {@code proj_w}, {@code fuse_w}); PyTorch's default convolution initialization.
 */
public final class CascadeGroupStripMixing extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int groups;
    private final int slot;
    private final int side;
    private final RelativePositionBias posH;
    private final Conv2d projH;
    private final Conv2d fuseH;
    private final BatchNorm norm;
    private final RelativePositionBias posW;
    private final Conv2d projW;
    private final Conv2d fuseW;

    /**
     * Strip mixing over {@code channels} channels cut into {@code groups} groups, on a {@code side × side} map.
     *
     * @param groups P, a divisor of {@code channels}; the slot width is {@code G = channels / groups}
     */
    public CascadeGroupStripMixing(int channels, int groups, int side) {
        super(VERSION);
        if (channels < 1 || groups < 1 || side < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(String.format(
                    "CascadeGroupStripMixing needs channels, groups, side >= 1 with groups dividing channels; got "
                            + "%d, %d, %d", channels, groups, side));
        }
        this.channels = channels;
        this.groups = groups;
        this.slot = channels / groups;
        this.side = side;
        posH = addChildBlock("posH", new RelativePositionBias(channels, side));
        projH = addChildBlock("projH", strip(slot * side, slot));
        fuseH = addChildBlock("fuseH", pointwise(channels));
        norm = addChildBlock("norm", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        posW = addChildBlock("posW", new RelativePositionBias(channels, side));
        projW = addChildBlock("projW", strip(slot * side, slot));
        fuseW = addChildBlock("fuseW", pointwise(channels));
    }

    private static Conv2d strip(int filters, int groups) {
        return TorchInit.apply(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 3))
                .optPadding(new Shape(0, 1)).optGroups(groups).build());
    }

    private static Conv2d pointwise(int filters) {
        return TorchInit.apply(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)).optBias(false)
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("CascadeGroupStripMixing", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        long b = x.getShape().get(0);
        int p = groups;
        int g = slot;
        int h = side;
        // rows: (B, P, G, H, W) -> (B, G, W, P, H): channel g·W + w, the conv slides over H
        NDArray xh = posH.forward(ps, new NDList(x), training).singletonOrThrow()
                .reshape(b, p, g, h, h).transpose(0, 2, 4, 1, 3).reshape(b, (long) g * h, p, h);
        xh = projH.forward(ps, new NDList(xh), training).singletonOrThrow(); // (B, G·W', P, H)
        xh = xh.reshape(b, g, h, p, h).transpose(0, 3, 1, 4, 2).reshape(b, channels, h, h); // (B, C, H, W')
        xh = fuseH.forward(ps, new NDList(NDArrays.concat(new NDList(xh, x), 1)), training).singletonOrThrow();
        xh = Activation.gelu(norm.forward(ps, new NDList(xh), training).singletonOrThrow());
        xh = posW.forward(ps, new NDList(xh), training).singletonOrThrow(); // (B, C, H, W)
        // columns: (B, P, G·H, W) -> (B, G·H, P, W): channel g·H + h, the conv slides over W
        NDArray xw = xh.reshape(b, p, (long) g * h, h).transpose(0, 2, 1, 3);
        xw = projW.forward(ps, new NDList(xw), training).singletonOrThrow(); // (B, G·H', P, W)
        xw = xw.transpose(0, 2, 1, 3).reshape(b, channels, h, h);
        return fuseW.forward(ps, new NDList(NDArrays.concat(new NDList(x, xw), 1)), training);
    }

    private void check(Shape s) {
        InputCheck.shape("CascadeGroupStripMixing", "input (B, C, H, W)", s, InputCheck.ANY, channels, side, side);
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
        Shape strips = new Shape(b, (long) slot * side, groups, side);
        Shape cat = new Shape(b, 2L * channels, side, side);
        posH.initialize(manager, dataType, s);
        projH.initialize(manager, dataType, strips);
        fuseH.initialize(manager, dataType, cat);
        norm.initialize(manager, dataType, s);
        posW.initialize(manager, dataType, s);
        projW.initialize(manager, dataType, strips);
        fuseW.initialize(manager, dataType, cat);
    }

    @Override
    public String toString() {
        return "CascadeGroupStripMixing(" + channels + " = " + groups + " × " + slot + ", " + side + "×" + side + ")";
    }
}
