package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.vision.ConvMlp;

/**
 * Local strip mixing, LSMM (Cao et al., <i>Strip-MLP</i>, ICCV 2023, §3.3; the {@code x_2} branch of the official
 * {@code StripMLP_Block.forward} in Med-Process/Strip_MLP {@code models/strip_mlp.py}): two depthwise strip
 * convolutions, a 3×7 one (wide rows) and a 7×3 one (tall columns), whose outputs and the input are blended with
 * per-channel softmax weights computed from their pooled sum, as in Vision Permutator's reweighting:
 * <pre>
 *   xw = DWConv_{3×7}(x),  xh = DWConv_{7×3}(x)                     (no bias, "same" padding)
 *   a  = softmax_b(reshape(reweight(mean_{H,W}(xh + xw + x)), (B, C, 3)))   reweight: Conv1×1 C → C/2 → GELU → 3C
 *   y  = xh ⊙ a[..., 0] + xw ⊙ a[..., 1] + x ⊙ a[..., 2]
 * </pre>
 * Output channel {@code 3c + b} of the reweighting MLP is branch b of channel c (interleaved, as in the official
 * {@code reshape(N, C, 3)}).
 *
 * <p>Shapes: input {@code (B, C, H, W)}, output the same. Children: {@code 01fcH} (3×7, official {@code fc_h}),
 * {@code 02fcW} (7×3, {@code fc_w}), {@code 03reweight} ({@link ConvMlp} C → C/2 → 3C, {@code reweight.fc1/fc2});
 * PyTorch's default convolution initialization.
 */
public final class LocalStripMixing extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final Conv2d fcH;
    private final Conv2d fcW;
    private final ConvMlp reweight;

    /** Local strip mixing over {@code channels} channels (at least 2, for the C/2 reweighting width). */
    public LocalStripMixing(int channels) {
        super(VERSION);
        if (channels < 2) {
            throw new IllegalArgumentException("LocalStripMixing channels must be >= 2; got " + channels);
        }
        this.channels = channels;
        fcH = addChildBlock("fcH", depthwise(channels, 3, 7));
        fcW = addChildBlock("fcW", depthwise(channels, 7, 3));
        reweight = addChildBlock("reweight", new ConvMlp(channels, channels / 2, 3 * channels, 0f));
    }

    private static Conv2d depthwise(int channels, int kh, int kw) {
        return TorchInit.apply(Conv2d.builder().setFilters(channels).setKernelShape(new Shape(kh, kw))
                .optPadding(new Shape(kh / 2, kw / 2)).optGroups(channels).optBias(false).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("LocalStripMixing", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        long b = x.getShape().get(0);
        NDArray xw = fcH.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C, H, W)
        NDArray xh = fcW.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray s = xh.add(xw).add(x);
        NDArray pooled = s.reshape(b, channels, -1).mean(new int[] {2}).reshape(b, channels, 1, 1);
        NDArray a = reweight.forward(ps, new NDList(pooled), training).singletonOrThrow()
                .reshape(b, channels, 3).softmax(2); // (B, C, 3)
        NDArray a0 = a.get(new NDIndex(":, :, 0")).reshape(b, channels, 1, 1);
        NDArray a1 = a.get(new NDIndex(":, :, 1")).reshape(b, channels, 1, 1);
        NDArray a2 = a.get(new NDIndex(":, :, 2")).reshape(b, channels, 1, 1);
        return new NDList(xh.mul(a0).add(xw.mul(a1)).add(x.mul(a2)));
    }

    private void check(Shape s) {
        InputCheck.shape("LocalStripMixing", "input (B, C, H, W)", s, InputCheck.ANY, channels, InputCheck.ANY,
                InputCheck.ANY);
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
        fcH.initialize(manager, dataType, s);
        fcW.initialize(manager, dataType, s);
        reweight.initialize(manager, dataType, new Shape(s.get(0), channels, 1, 1));
    }

    @Override
    public String toString() {
        return "LocalStripMixing(" + channels + ")";
    }
}
