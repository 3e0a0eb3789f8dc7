package io.github.mlpzoo.core.nn.embeddings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

import java.util.Arrays;

/**
 * One-hot encoding of categorical features, concatenated ({@code tabm.py} {@code _OneHotEncoding}, with the
 * out-of-vocabulary rule of the paper code, {@code paper/lib/deep.py} {@code OneHotEncoding0d}): feature j with
 * cardinality c_j takes codes {@code 0 … c_j − 1}, each giving its one-hot vector, plus the <b>unknown slot</b>
 * {@code c_j} for a category never seen in training, which encodes as all zeros (the paper's data pipeline maps
 * every unseen category to {@code c_j}). Any other code (negative or above {@code c_j}) is an
 * {@link IllegalArgumentException} naming the feature, never a silent wrong encoding.
 *
 * <p>Shapes: input {@code (B, m)} integer codes (int32 or int64), output {@code (B, Σ c_j)} float32. No parameters.
 */
public final class OneHotEncoding extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int[] cardinalities;
    private final int width;

    /** An encoding for features with these cardinalities (each >= 1). */
    public OneHotEncoding(int[] cardinalities) {
        super(VERSION);
        if (cardinalities == null || cardinalities.length == 0 || Arrays.stream(cardinalities).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("OneHotEncoding expects a non-empty list of cardinalities >= 1; got "
                    + Arrays.toString(cardinalities));
        }
        this.cardinalities = cardinalities.clone();
        this.width = Arrays.stream(cardinalities).sum();
    }

    /** The output width, {@code Σ c_j}. */
    public int width() {
        return width;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("OneHotEncoding", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("OneHotEncoding", "input", x, InputCheck.ANY, cardinalities.length);
        if (x.getDataType() != DataType.INT64 && x.getDataType() != DataType.INT32) {
            throw new IllegalArgumentException("OneHotEncoding expects integer category codes (int32/int64); got "
                    + x.getDataType());
        }
        NDArray codes = x.toType(DataType.INT64, false);
        if (x.getShape().get(0) > 0) {
            long[] min = codes.min(new int[] {0}).toLongArray();
            long[] max = codes.max(new int[] {0}).toLongArray();
            for (int j = 0; j < cardinalities.length; j++) {
                if (min[j] < 0 || max[j] > cardinalities[j]) {
                    throw new IllegalArgumentException(String.format(
                            "OneHotEncoding: categorical feature %d has code %d; expected 0..%d (%d = unknown)",
                            j, min[j] < 0 ? min[j] : max[j], cardinalities[j], cardinalities[j]));
                }
            }
        }
        NDList parts = new NDList();
        for (int j = 0; j < cardinalities.length; j++) {
            int c = cardinalities[j];
            // one_hot(x_j, c + 1)[..., :-1]: the unknown code c becomes all zeros
            parts.add(codes.get(":, " + j).oneHot(c + 1, DataType.FLOAT32).get(":, :" + c));
        }
        return new NDList(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1)); // (B, Σ c_j)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("OneHotEncoding", "input", inputShapes[0], InputCheck.ANY, cardinalities.length);
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    public String toString() {
        return "OneHotEncoding" + Arrays.toString(cardinalities);
    }
}
