package io.github.mlpzoo.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Tensor ops that DJL 0.29 lacks on PyTorch, written once from slices, concatenation and single-axis
 * reductions. Every op is differentiable, keeps the input's data type and device, returns a new array
 * attached to the input's manager, and validates its arguments with an {@link IllegalArgumentException}
 * that names the axis and what was expected.
 *
 * <p>Semantics follow PyTorch so that ported code reads the same:
 *
 * <ul>
 *   <li>{@link #roll(NDArray, long, int)} is {@code torch.roll(x, shift, dims=axis)};
 *   <li>{@link #pad(NDArray, int, long, long, float)} and {@link #pad(NDArray, long[], float)} are
 *       {@code torch.nn.functional.pad(x, pad, mode="constant", value=value)} for non-negative pads;
 *   <li>{@link #mean(NDArray, int...)} is {@code torch.mean(x, dim=axes)};
 *   <li>{@link #resizeBicubic(NDArray, long, long)} is
 *       {@code F.interpolate(x, (h, w), mode="bicubic", align_corners=False)}.
 * </ul>
 *
 * <p>Cost: each DJL op carries about 1 µs of fixed JNI overhead, so the ops use as few native calls as
 * they can: a roll is two slices and one concatenation, a pad one or two filled blocks and one
 * concatenation, a multi-axis mean one multi-axis sum and one division.
 */
public final class Ops {

    private Ops() {}

    /**
     * Rolls {@code x} by {@code shift} positions along {@code axis}, as {@code torch.roll}: element
     * {@code i} moves to {@code (i + shift) mod n}. Negative shifts roll backwards; shifts of any size
     * (including beyond {@code n}) are taken modulo {@code n}.
     *
     * @param axis the axis, negative counting from the end
     * @return a new array of the shape of {@code x}
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public static NDArray roll(NDArray x, long shift, int axis) {
        Shape shape = x.getShape();
        int a = axis(shape, axis, "roll");
        long n = shape.get(a);
        long s = n == 0 ? 0 : Math.floorMod(shift, n);
        if (s == 0) {
            return x.duplicate();
        }
        // out = concat(x[n-s:], x[:n-s]) along a
        try (NDArray tail = x.get(NDIndex.sliceAxis(a, n - s, n));
                NDArray head = x.get(NDIndex.sliceAxis(a, 0, n - s))) {
            return tail.concat(head, a);
        }
    }

    /**
     * Rolls {@code x} along several axes, as {@code torch.roll(x, shifts, dims)}: the same as rolling
     * by {@code shifts[i]} along {@code axes[i]} in turn.
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty or name a bad axis
     */
    public static NDArray roll(NDArray x, long[] shifts, int[] axes) {
        if (shifts.length != axes.length || axes.length == 0) {
            throw new IllegalArgumentException(String.format(
                    "roll expects as many shifts as axes (at least one); got shifts %s and axes %s",
                    Arrays.toString(shifts), Arrays.toString(axes)));
        }
        NDArray out = roll(x, shifts[0], axes[0]);
        for (int i = 1; i < axes.length; i++) {
            NDArray next = roll(out, shifts[i], axes[i]);
            out.close();
            out = next;
        }
        return out;
    }

    /**
     * Pads {@code x} along {@code axis} with {@code before} and {@code after} entries of the constant
     * {@code value}, as {@code F.pad(x, (..., before, after, ...), value=value)}.
     *
     * @param axis the axis, negative counting from the end
     * @param before entries added in front, {@code >= 0}
     * @param after entries added at the end, {@code >= 0}
     * @return a new array whose size on {@code axis} is {@code n + before + after}
     * @throws IllegalArgumentException for a bad axis or a negative pad
     */
    public static NDArray pad(NDArray x, int axis, long before, long after, float value) {
        Shape shape = x.getShape();
        int a = axis(shape, axis, "pad");
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException(String.format(
                    "pad expects non-negative pads on axis %d; got before=%d, after=%d", a, before, after));
        }
        if (before == 0 && after == 0) {
            return x.duplicate();
        }
        NDList parts = new NDList(3);
        NDArray front = before > 0 ? filled(x, shape, a, before, value) : null;
        NDArray back = after > 0 ? filled(x, shape, a, after, value) : null;
        if (front != null) {
            parts.add(front);
        }
        parts.add(x);
        if (back != null) {
            parts.add(back);
        }
        try {
            return NDArrays.concat(parts, a);
        } finally {
            if (front != null) {
                front.close();
            }
            if (back != null) {
                back.close();
            }
        }
    }

    /**
     * Pads several trailing axes at once with the PyTorch argument layout: {@code pad} holds
     * {@code (before, after)} pairs starting from the <em>last</em> axis, so {@code {1, 2, 3, 4}} pads the
     * last axis by 1 in front and 2 at the end, and the axis before it by 3 and 4, exactly as
     * {@code F.pad(x, (1, 2, 3, 4), value=value)}.
     *
     * @throws IllegalArgumentException if {@code pad} has odd length, covers more axes than {@code x}
     *     has, or holds a negative entry
     */
    public static NDArray pad(NDArray x, long[] pad, float value) {
        int rank = x.getShape().dimension();
        if (pad.length == 0 || pad.length % 2 != 0 || pad.length / 2 > rank) {
            throw new IllegalArgumentException(String.format(
                    "pad expects (before, after) pairs for at most %d trailing axes of %s; got %s",
                    rank, x.getShape(), Arrays.toString(pad)));
        }
        NDArray out = null;
        for (int i = 0; i < pad.length / 2; i++) {
            NDArray src = out == null ? x : out;
            NDArray next = pad(src, rank - 1 - i, pad[2 * i], pad[2 * i + 1], value);
            if (out != null) {
                out.close();
            }
            out = next;
        }
        return out;
    }

    /**
     * The mean over one or more axes, which DJL's {@code NDArray.mean(int[])} refuses for more than one
     * axis on PyTorch; reduced axes are removed. Same as {@code torch.mean(x, dim=axes)}.
     *
     * @param axes distinct axes, negative counting from the end; at least one
     * @throws IllegalArgumentException for no axes, a bad axis or a repeated axis
     */
    public static NDArray mean(NDArray x, int... axes) {
        return mean(x, axes, false);
    }

    /**
     * As {@link #mean(NDArray, int...)}; with {@code keepDims} the reduced axes stay as size 1, as
     * {@code torch.mean(x, dim=axes, keepdim=True)}.
     */
    public static NDArray mean(NDArray x, int[] axes, boolean keepDims) {
        Shape shape = x.getShape();
        if (axes == null || axes.length == 0) {
            throw new IllegalArgumentException("mean expects at least one axis of " + shape + "; got none");
        }
        int[] norm = new int[axes.length];
        long count = 1;
        boolean[] seen = new boolean[shape.dimension()];
        for (int i = 0; i < axes.length; i++) {
            norm[i] = axis(shape, axes[i], "mean");
            if (seen[norm[i]]) {
                throw new IllegalArgumentException(String.format(
                        "mean expects distinct axes of %s; axis %d appears twice in %s",
                        shape, norm[i], Arrays.toString(axes)));
            }
            seen[norm[i]] = true;
            count *= shape.get(norm[i]);
        }
        if (norm.length == 1) {
            return x.mean(norm, keepDims);
        }
        try (NDArray sum = x.sum(norm, keepDims)) {
            return Scalars.div(sum, count); // not sum.div(count): see Scalars
        }
    }

    /**
     * Resizes the last two axes of {@code x} (..., H, W) to (..., {@code height}, {@code width}) by bicubic
     * interpolation, as {@code F.interpolate(x, (height, width), mode="bicubic", align_corners=False)} (PyTorch's
     * {@code upsample_bicubic2d}: Keys' cubic convolution with a = -0.75, source coordinate
     * {@code (dst + 0.5) · in/out - 0.5}, taps outside the input clamped to the border). Bicubic interpolation is
     * separable and linear, so it is computed as {@code A_h · x · A_wᵀ} with two constant interpolation matrices:
     * differentiable, on any device, with no engine-specific call. Same size in and out gives a copy.
     *
     * @throws IllegalArgumentException if {@code x} has rank below 2 or a size is below 1
     */
    public static NDArray resizeBicubic(NDArray x, long height, long width) {
        Shape shape = x.getShape();
        int rank = shape.dimension();
        if (rank < 2 || height < 1 || width < 1 || shape.get(rank - 2) < 1 || shape.get(rank - 1) < 1) {
            throw new IllegalArgumentException(String.format(
                    "resizeBicubic expects an array (..., H, W) with H, W >= 1 and an output size >= 1; got %s to "
                            + "(%d, %d)", shape, height, width));
        }
        long h = shape.get(rank - 2);
        long w = shape.get(rank - 1);
        if (h == height && w == width) {
            return x.duplicate();
        }
        // The interpolation matrices are not closed here: an array made from Java data may wrap that buffer, and
        // backward still reads it. They belong to x's manager, which frees them.
        NDManager m = x.getManager();
        NDArray out = x;
        if (w != width) {
            NDArray aw = m.create(bicubicMatrix(w, width), new Shape(width, w)).toType(x.getDataType(), false)
                    .toDevice(x.getDevice(), false);
            out = x.matMul(aw.transpose()); // (..., H, width)
        }
        if (h != height) {
            NDArray ah = m.create(bicubicMatrix(h, height), new Shape(height, h)).toType(x.getDataType(), false)
                    .toDevice(x.getDevice(), false);
            out = ah.matMul(out); // (..., height, width)
        }
        return out;
    }

    /**
     * The (out, in) matrix of 1-D bicubic interpolation from {@code in} to {@code out} samples, row-major, as
     * PyTorch's {@code upsample_bicubic2d} with {@code align_corners=False} weighs its four taps.
     */
    static float[] bicubicMatrix(long in, long out) {
        float[] a = new float[Math.toIntExact(in * out)];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = scale * (o + 0.5) - 0.5;
            long i0 = (long) Math.floor(src);
            double t = src - i0;
            double[] wts = {cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)};
            for (int k = 0; k < 4; k++) {
                long i = Math.min(Math.max(i0 - 1 + k, 0), in - 1);
                a[(int) (o * in + i)] += (float) wts[k];
            }
        }
        return a;
    }

    private static final double CUBIC_A = -0.75;

    /** Keys' kernel for |t| <= 1. */
    private static double cubic1(double t) {
        return ((CUBIC_A + 2) * t - (CUBIC_A + 3)) * t * t + 1;
    }

    /** Keys' kernel for 1 < |t| < 2. */
    private static double cubic2(double t) {
        return ((CUBIC_A * t - 5 * CUBIC_A) * t + 8 * CUBIC_A) * t - 4 * CUBIC_A;
    }

    /** {@code x}'s axis {@code axis} as a non-negative index, or an error naming the op. */
    static int axis(Shape shape, int axis, String op) {
        int rank = shape.dimension();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(String.format(
                    "%s expects an axis in [%d, %d) for an array of shape %s; got axis %d",
                    op, -rank, rank, shape, axis));
        }
        return a;
    }

    /** A block of {@code value} shaped like {@code shape} but with {@code size} entries on axis {@code a}. */
    private static NDArray filled(NDArray x, Shape shape, int a, long size, float value) {
        long[] dims = shape.getShape().clone();
        dims[a] = size;
        NDManager m = x.getManager();
        NDArray block = m.full(new Shape(dims), value, x.getDataType());
        if (block.getDevice().equals(x.getDevice())) {
            return block;
        }
        try (block) {
            return block.toDevice(x.getDevice(), true);
        }
    }
}
