package io.github.mlpzoo.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.function.BinaryOperator;

/**
 * Array-with-scalar ops that are safe under autograd. DJL 0.29's {@code NDArray.mul(Number)} (and {@code div},
 * {@code pow}, {@code maximum}, {@code minimum}, ...) on PyTorch wraps the number in a 0-d tensor made by
 * {@code torch::from_blob} over a Java direct buffer and closes it as soon as the op returns. When the op's backward
 * keeps that operand (multiplication and division keep the scalar for the gradient of the other side; maximum and
 * minimum keep both sides), autograd later reads memory Java may already have freed: after a garbage collection
 * between forward and backward the gradient is scaled by whatever bytes are there (ScalarsTest shows
 * {@code -7e33} for {@code x.mul(3)}), and training goes silently wrong or NaN at random steps. These helpers make
 * the scalar with {@code NDManager.full} instead, a tensor PyTorch owns, so autograd's reference keeps it alive.
 * Use them for every scalar op on an array that may require a gradient; {@code add}/{@code sub} with a number are
 * safe (their backward keeps no operand).
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d array holding {@code value}, of {@code like}'s data type, on its manager (owned by PyTorch). */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return apply(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return apply(x, value, NDArray::div);
    }

    /** {@code max(x, value)} elementwise. */
    public static NDArray maximum(NDArray x, double value) {
        return apply(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)} elementwise. */
    public static NDArray minimum(NDArray x, double value) {
        return apply(x, value, NDArray::minimum);
    }

    /** {@code op(x, s)} with {@code s} a PyTorch-owned scalar, closed after (autograd keeps its own reference). */
    private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = of(x, value)) {
            return op.apply(x, s);
        }
    }
}
