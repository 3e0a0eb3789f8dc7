package io.github.mlpzoo.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks a block's input before any native op sees it, so that a wrong rank or size is an
 * {@link IllegalArgumentException} naming the block, the axis and the expected size rather than a native
 * error (or, worse, a silently broadcast result).
 */
public final class InputCheck {

    /** Marks an axis whose size is free (the batch axis, usually). */
    public static final long ANY = -1;

    private InputCheck() {}

    /**
     * Requires exactly {@code expected.length} inputs.
     *
     * @param block the block's name, for the message
     */
    public static void count(String block, NDList inputs, int expected) {
        if (inputs == null || inputs.size() != expected) {
            throw new IllegalArgumentException(String.format(
                    "%s expects %d input array(s); got %d", block, expected, inputs == null ? 0 : inputs.size()));
        }
    }

    /**
     * Requires {@code x} to have shape {@code expected}, where {@link #ANY} accepts any size on that axis.
     *
     * @param block the block's name, for the message
     * @param what the argument's name, e.g. "input" or "x_num"
     */
    public static void shape(String block, String what, NDArray x, long... expected) {
        shape(block, what, x.getShape(), expected);
    }

    /** As {@link #shape(String, String, NDArray, long...)}, on a shape (used by getOutputShapes too). */
    public static void shape(String block, String what, Shape actual, long... expected) {
        if (actual.dimension() != expected.length) {
            throw new IllegalArgumentException(String.format(
                    "%s expects %s of rank %d %s; got rank %d %s",
                    block, what, expected.length, describe(expected), actual.dimension(), actual));
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != ANY && actual.get(i) != expected[i]) {
                throw new IllegalArgumentException(String.format(
                        "%s expects %s %s: axis %d must be %d; got %s",
                        block, what, describe(expected), i, expected[i], actual));
            }
        }
    }

    /** Requires a floating-point array of type FLOAT32. */
    public static void float32(String block, String what, NDArray x) {
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(String.format(
                    "%s expects %s of type float32; got %s", block, what, x.getDataType()));
        }
    }

    /**
     * Requires {@code x} to hold no NaN, else names the count, the shape and {@code hint} (what the caller should
     * do instead), as {@code "<block> expects <what> without NaN; got 2 NaN value(s) in (1, 16, 2) (<hint>)"}.
     */
    public static void noNaN(String block, String what, NDArray x, String hint) {
        try (NDArray nan = x.isNaN()) {
            if (nan.any().getBoolean()) {
                throw new IllegalArgumentException(String.format("%s expects %s without NaN; got %d NaN value(s) in %s"
                        + " (%s)", block, what, nan.sum().getLong(), x.getShape(), hint));
            }
        }
    }

    /** Requires a positive batch size (axis 0). */
    public static void nonEmptyBatch(String block, String what, Shape actual) {
        if (actual.dimension() == 0 || actual.get(0) == 0) {
            throw new IllegalArgumentException(String.format(
                    "%s expects %s with a batch of at least 1 row; got %s", block, what, actual));
        }
    }

    /**
     * The single input of an image model: exactly one array, float32, with a batch of at least one row. Returns it;
     * its (B, C, H, W) shape is the model's to check, with {@link #imageShape}.
     */
    public static NDArray image(String block, NDList inputs) {
        count(block, inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        // a batch of 0 would reach a reshape with -1 (or a division by the batch) in native code
        nonEmptyBatch(block, "image", x.getShape());
        float32(block, "input", x);
        return x;
    }

    /** Requires an image batch of shape (B, channels, height, width), where {@link #ANY} leaves a size free. */
    public static void imageShape(String block, Shape actual, long channels, long height, long width) {
        shape(block, "input (B, C, H, W)", actual, ANY, channels, height, width);
    }

    private static String describe(long[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i] == ANY ? (i == 0 ? "B" : "*") : Long.toString(dims[i]));
        }
        return sb.append(')').toString();
    }
}
