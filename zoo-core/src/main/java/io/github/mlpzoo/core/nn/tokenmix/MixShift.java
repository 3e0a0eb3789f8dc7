package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.ops.Ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mix-shift token mixing (Zheng et al., <i>Mixing and Shifting: Exploiting Global and Local Dependencies in Vision
 * MLPs</i>, arXiv 2202.06510, §3; official {@code MixShiftBlock} in JegZheng/MS-MLP {@code models/ms_mlp.py}): the
 * channels are cut into n groups as {@code torch.chunk} cuts them (⌈C/n⌉ each, the remainder last); group i is
 * shifted circularly by {@code s_i} along W and, separately, along H, and each shifted copy is mixed by its own
 * depthwise k_i×k_i convolution (zero "same" padding, bias):
 * <pre>
 *   y = concat_i DWConv^lr_i(roll(x_i, s_i, W)) + concat_i DWConv^td_i(roll(x_i, s_i, H))
 * </pre>
 * {@code roll} is {@code torch.roll}: out[j] = x[(j − s) mod n]. Following the official code, shifts and mixing
 * sizes are paired as the config gives them (official: shifts [-2,-1,0,1,2] with sizes such as [1,1,3,5,7]) and the
 * shift comes before the convolution; the paper's figure draws one-directional shifts of 0..4 and mixing first.
 *
 * <p>Shapes: input {@code (B, C, H, W)}, output the same. Children {@code 01lr0 .. lr{n-1}}, then
 * {@code td0 .. td{n-1}} (official {@code dwconv_lr.i}, {@code dwconv_td.i}), each {@code (c_i, 1, k_i, k_i)} with
 * bias; PyTorch's default convolution initialization.
 */
public final class MixShift extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int[] shifts;
    private final int[] sizes;
    private final int[] chunks;
    private final List<Conv2d> lr = new ArrayList<>();
    private final List<Conv2d> td = new ArrayList<>();

    /**
     * Mix-shift over {@code channels} channels in {@code shifts.length} groups.
     *
     * @param shifts the shift of each group (both directions)
     * @param sizes the odd mixing size of each group
     * @throws IllegalArgumentException if the arrays differ in length, a size is not odd and positive, or
     *     {@code torch.chunk} would give fewer groups than asked (e.g. 16 channels in 5 groups gives 4 of 4)
     */
    public MixShift(int channels, int[] shifts, int[] sizes) {
        super(VERSION);
        if (channels < 1 || shifts.length == 0 || shifts.length != sizes.length) {
            throw new IllegalArgumentException(String.format(
                    "MixShift needs channels >= 1 and as many shifts as mixing sizes; got %d, %s, %s", channels,
                    Arrays.toString(shifts), Arrays.toString(sizes)));
        }
        for (int k : sizes) {
            if (k < 1 || k % 2 == 0) {
                throw new IllegalArgumentException("MixShift mixing sizes must be odd and positive; got "
                        + Arrays.toString(sizes));
            }
        }
        this.channels = channels;
        this.shifts = shifts.clone();
        this.sizes = sizes.clone();
        this.chunks = chunkSizes(channels, shifts.length);
        for (int i = 0; i < shifts.length; i++) {
            lr.add(addChildBlock("lr" + i, depthwise(chunks[i], sizes[i])));
        }
        for (int i = 0; i < shifts.length; i++) {
            td.add(addChildBlock("td" + i, depthwise(chunks[i], sizes[i])));
        }
    }

    /**
     * The group sizes of {@code torch.chunk(x, n)} along an axis of {@code channels}: ⌈channels/n⌉ each, the last
     * one smaller.
     *
     * @throws IllegalArgumentException if that gives fewer than {@code n} groups
     */
    public static int[] chunkSizes(int channels, int n) {
        int size = (channels + n - 1) / n;
        int count = (channels + size - 1) / size;
        if (count != n) {
            throw new IllegalArgumentException(String.format(
                    "torch.chunk cuts %d channels into %d groups of %d, not %d; pick a channel count that gives %d "
                            + "groups", channels, count, size, n, n));
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(size, channels - i * size);
        }
        return out;
    }

    private static Conv2d depthwise(int channels, int k) {
        return TorchInit.apply(Conv2d.builder().setFilters(channels).setKernelShape(new Shape(k, k))
                .optPadding(new Shape(k / 2, k / 2)).optGroups(channels).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("MixShift", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        long[] cuts = new long[chunks.length - 1];
        for (int i = 0, c = 0; i < cuts.length; i++) {
            c += chunks[i];
            cuts[i] = c;
        }
        NDList xs = x.split(cuts, 1);
        NDList lrs = new NDList(chunks.length);
        NDList tds = new NDList(chunks.length);
        for (int i = 0; i < chunks.length; i++) {
            NDArray xi = xs.get(i); // (B, c_i, H, W)
            lrs.add(lr.get(i).forward(ps, new NDList(Ops.roll(xi, shifts[i], 3)), training).singletonOrThrow());
            tds.add(td.get(i).forward(ps, new NDList(Ops.roll(xi, shifts[i], 2)), training).singletonOrThrow());
        }
        return new NDList(NDArrays.concat(lrs, 1).add(NDArrays.concat(tds, 1)));
    }

    private void check(Shape s) {
        InputCheck.shape("MixShift", "input (B, C, H, W)", s, InputCheck.ANY, channels, InputCheck.ANY,
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
        for (int i = 0; i < chunks.length; i++) {
            Shape part = new Shape(s.get(0), chunks[i], s.get(2), s.get(3));
            lr.get(i).initialize(manager, dataType, part);
            td.get(i).initialize(manager, dataType, part);
        }
    }

    @Override
    public String toString() {
        return "MixShift(" + channels + " = " + Arrays.toString(chunks) + ", shifts " + Arrays.toString(shifts)
                + ", sizes " + Arrays.toString(sizes) + ")";
    }
}
