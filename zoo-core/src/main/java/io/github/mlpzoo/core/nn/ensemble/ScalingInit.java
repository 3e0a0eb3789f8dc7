package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

import java.util.Arrays;

/**
 * How the non-shared scalings of an ensemble ({@code r}, {@code s} of {@link BatchEnsembleLinear}, the weight of
 * {@link ElementwiseAffine}) start, as {@code tabm.py}'s {@code init_scaling_} does it: all ones, N(0, 1), or random
 * signs ±1 (Bernoulli(0.5)·2 − 1).
 *
 * <p>With <i>chunks</i> (sizes summing to the last axis), every chunk of every row gets one shared random value;
 * TabM uses one chunk per input feature (the size of that feature's representation), which the paper code calls a
 * "historical artifact" but keeps because the tuned results depend on it.
 */
public enum ScalingInit {
    /** All ones; chunks are not allowed. */
    ONES,
    /** Standard normal N(0, 1); TabM's first scaling when numerical embeddings are used. */
    NORMAL,
    /** ±1 with probability 1/2 each; TabM's first scaling without embeddings. */
    RANDOM_SIGNS;

    /**
     * An initializer drawing this distribution for a tensor {@code (..., d)}.
     *
     * @param chunks sizes summing to {@code d}, each sharing one random value per row; or null for one value per
     *     element
     */
    public Initializer initializer(int[] chunks) {
        if (this == ONES && chunks != null) {
            throw new IllegalArgumentException("ScalingInit.ONES takes no chunks; got " + Arrays.toString(chunks));
        }
        int[] copy = chunks == null ? null : chunks.clone();
        return (manager, shape, dataType) -> sample(manager, shape, dataType, copy);
    }

    NDArray sample(NDManager manager, Shape shape, DataType dataType, int[] chunks) {
        if (chunks == null) {
            return draw(manager, shape, dataType);
        }
        int last = shape.dimension() - 1;
        if (last < 0 || Arrays.stream(chunks).sum() != shape.get(last) || Arrays.stream(chunks).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("ScalingInit chunks " + Arrays.toString(chunks)
                    + " must be positive and sum to the last axis of " + shape);
        }
        long[] lead = Arrays.copyOf(shape.getShape(), shape.dimension());
        NDList parts = new NDList();
        try {
            for (int c : chunks) {
                lead[last] = 1;
                NDArray one = draw(manager, new Shape(lead), dataType); // (..., 1): one value per row and chunk
                lead[last] = c;
                parts.add(one.repeat(last, c));
                one.close();
            }
            return NDArrays.concat(parts, last);
        } finally {
            parts.close();
        }
    }

    private NDArray draw(NDManager manager, Shape shape, DataType dataType) {
        switch (this) {
            case ONES:
                return manager.ones(shape, dataType);
            case NORMAL:
                return manager.randomNormal(0f, 1f, shape, dataType);
            case RANDOM_SIGNS:
                try (NDArray u = manager.randomUniform(0f, 1f, shape, dataType);
                        NDArray coin = u.lt(0.5f);
                        NDArray f = coin.toType(dataType, false);
                        NDArray twice = f.mul(2f)) {
                    return twice.sub(1f);
                }
            default:
                throw new IllegalStateException("unknown ScalingInit " + this);
        }
    }
}
