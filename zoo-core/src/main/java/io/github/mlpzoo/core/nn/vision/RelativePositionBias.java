package io.github.mlpzoo.core.nn.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Adds a learned relative-position bias to a feature map (Shaw et al., <i>Self-Attention with Relative Position
 * Representations</i>, NAACL 2018; Strip-MLP's {@code RelativePosition} in Med-Process/Strip_MLP
 * {@code models/strip_mlp.py}): a table of {@code 2M + 1} vectors indexed by the clipped offset between the
 * column and the row of each position,
 * <pre>
 *   y[b, c, i, j] = x[b, c, i, j] + table[clip(j - i, -M, M) + M, c]
 * </pre>
 * a Toeplitz pattern shared by every sample. The lookup is computed as a product with a constant one-hot matrix,
 * {@code onehot (H·W, 2M+1) · table (2M+1, C)}, so the table gets gradients through a plain matMul.
 *
 * <p>Shapes: input {@code (B, C, H, W)}, output the same. Parameter {@code table (2M + 1, C)} (official
 * {@code embeddings_table}), initialized from a normal with σ = 0.02 truncated at 2σ (the official code draws
 * Xavier-uniform and then overwrites it with {@code trunc_normal_(std=.02)}).
 */
public final class RelativePositionBias extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int maxDistance;
    private final Parameter table;

    /**
     * A bias over {@code channels} channels whose offsets are clipped to {@code ±maxDistance}.
     */
    public RelativePositionBias(int channels, int maxDistance) {
        super(VERSION);
        if (channels < 1 || maxDistance < 0) {
            throw new IllegalArgumentException(String.format(
                    "RelativePositionBias needs channels >= 1 and maxDistance >= 0; got %d, %d", channels,
                    maxDistance));
        }
        this.channels = channels;
        this.maxDistance = maxDistance;
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.OTHER)
                .optInitializer(new TruncatedNormalInitializer(0.02f))
                .optShape(new Shape(2L * maxDistance + 1, channels)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("RelativePositionBias", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        check(s);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int rows = 2 * maxDistance + 1;
        float[] onehot = new float[h * w * rows];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int d = Math.min(Math.max(j - i, -maxDistance), maxDistance) + maxDistance;
                onehot[(i * w + j) * rows + d] = 1f;
            }
        }
        NDArray t = ps.getValue(table, x.getDevice(), training);
        // not closed here: the array may wrap the Java buffer it was made from, and backward still reads it; it
        // belongs to the input's manager, which frees it
        NDArray oh = x.getManager().create(onehot, new Shape((long) h * w, rows)).toDevice(x.getDevice(), false);
        NDArray pos = oh.matMul(t).transpose().reshape(1, channels, h, w); // (H·W, C) -> (1, C, H, W)
        return new NDList(x.add(pos));
    }

    private void check(Shape s) {
        InputCheck.shape("RelativePositionBias", "input (B, C, H, W)", s, InputCheck.ANY, channels, InputCheck.ANY,
                InputCheck.ANY);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "RelativePositionBias(" + channels + ", ±" + maxDistance + ")";
    }
}
