package io.github.mlpzoo.core.nn.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.ops.Intermediates;

/**
 * The channel MLP of NCHW vision models, made of 1×1 convolutions (PoolFormer, sail-sg/poolformer
 * {@code models/poolformer.py}, class {@code Mlp}):
 * <pre>
 *   y = Dropout(Conv1x1_{h→C}(Dropout(GELU(Conv1x1_{C→h}(x)))))
 * </pre>
 * Strip-MLP's reweighting MLP ({@code Mlp(dim, dim // 2, dim * 3)}) has a different output width: see
 * {@link #ConvMlp(int, int, int, float)}.
 *
 * <p>Shapes: input {@code (B, C, H, W)}, output the same (or {@code (B, out, H, W)}). Parameters {@code 01fc1_weight (h, C, 1, 1)},
 * {@code 01fc1_bias (h)}, {@code 02fc2_weight (C, h, 1, 1)}, {@code 02fc2_bias (C)} (official {@code fc1.*},
 * {@code fc2.*}); PyTorch's default convolution initialization. GELU is the exact (erf) one.
 */
public final class ConvMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int hidden;
    private final int out;
    private final float dropout;
    private final Conv2d fc1;
    private final Conv2d fc2;

    /**
     * An MLP {@code channels → hidden → channels} over the channel axis.
     *
     * @param dropout the rate of both dropouts, in [0, 1)
     */
    public ConvMlp(int channels, int hidden, float dropout) {
        this(channels, hidden, channels, dropout);
    }

    /**
     * An MLP {@code channels → hidden → out} over the channel axis.
     *
     * @param dropout the rate of both dropouts, in [0, 1)
     */
    public ConvMlp(int channels, int hidden, int out, float dropout) {
        super(VERSION);
        if (channels < 1 || hidden < 1 || out < 1 || !(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException(String.format(
                    "ConvMlp needs channels, hidden, out >= 1 and dropout in [0, 1); got %d, %d, %d, %s", channels,
                    hidden, out, dropout));
        }
        this.channels = channels;
        this.hidden = hidden;
        this.out = out;
        this.dropout = dropout;
        fc1 = addChildBlock("fc1", TorchInit.apply(Conv2d.builder().setFilters(hidden)
                .setKernelShape(new Shape(1, 1)).build()));
        fc2 = addChildBlock("fc2", TorchInit.apply(Conv2d.builder().setFilters(out)
                .setKernelShape(new Shape(1, 1)).build()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("ConvMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        // each intermediate closed once consumed (autograd keeps what a backward needs), so the next op writes to
        // memory just freed rather than to cold memory, as in Python
        NDArray pre = fc1.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, h, H, W)
        NDArray h = Activation.gelu(pre);
        pre.close();
        NDArray kept = drop(h, training);
        Intermediates.release(h, kept);
        NDArray y = fc2.forward(ps, new NDList(kept), training).singletonOrThrow();
        kept.close();
        return new NDList(drop(y, training));
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private void check(Shape s) {
        InputCheck.shape("ConvMlp", "input (B, C, H, W)", s, InputCheck.ANY, channels, InputCheck.ANY,
                InputCheck.ANY);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        fc1.initialize(manager, dataType, s);
        fc2.initialize(manager, dataType, new Shape(s.get(0), hidden, s.get(2), s.get(3)));
    }

    @Override
    public String toString() {
        return "ConvMlp(" + channels + " -> " + hidden + " -> " + out + ", dropout " + dropout + ")";
    }
}
