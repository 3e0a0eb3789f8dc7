package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.TorchInit;

/**
 * HF's {@code InjectScalerStatistics4D} (expansion 2): feeds the scaler's statistics back into the hidden state before
 * a classification or regression head, since scaling removed them from the input.
 * <pre>
 *   s = [loc, scale] per (sample, channel), (B, C, 1, 2) → Linear(2 → 4) → Linear(4 → 2) → repeated over N patches
 *   h (B, C, N, d) → concat(h, s) (B, C, N, d + 2) → Linear(d + 2 → 2d) → Linear(2d → d) → (B, C, N, d)
 * </pre>
 * No activation between the linears (as HF). Inputs {@code NDList(h, loc (B, 1, C), scale (B, 1, C))}.
 */
final class InjectScalerStatistics extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int d;
    private final Linear mapScaleExpansion;
    private final Linear mapScaleCompression;
    private final Linear inverseTransExpansion;
    private final Linear inverseTransCompression;

    InjectScalerStatistics(int d) {
        super(VERSION);
        this.d = d;
        mapScaleExpansion = addChildBlock("mapScaleExpansion", linear(4));
        mapScaleCompression = addChildBlock("mapScaleCompression", linear(2));
        inverseTransExpansion = addChildBlock("inverseTransExpansion", linear(2L * d));
        inverseTransCompression = addChildBlock("inverseTransCompression", linear(d));
    }

    private static Linear linear(long units) {
        return TorchInit.apply(Linear.builder().setUnits(units).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0);
        Shape s = h.getShape();
        NDArray stats = NDArrays.concat(new NDList(inputs.get(1), inputs.get(2)), 1)   // (B, 2, C)
                .transpose(0, 2, 1).expandDims(2);                                    // (B, C, 1, 2)
        stats = mapScaleExpansion.forward(ps, new NDList(stats), training).singletonOrThrow();
        stats = mapScaleCompression.forward(ps, new NDList(stats), training).singletonOrThrow();
        stats = stats.broadcast(s.get(0), s.get(1), s.get(2), 2);
        NDArray x = NDArrays.concat(new NDList(h, stats), 3);                          // (B, C, N, d + 2)
        x = inverseTransExpansion.forward(ps, new NDList(x), training).singletonOrThrow();
        return inverseTransCompression.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        mapScaleExpansion.initialize(manager, dataType, new Shape(s.get(0), s.get(1), 1, 2));
        mapScaleCompression.initialize(manager, dataType, new Shape(s.get(0), s.get(1), 1, 4));
        inverseTransExpansion.initialize(manager, dataType, new Shape(s.get(0), s.get(1), s.get(2), d + 2L));
        inverseTransCompression.initialize(manager, dataType, new Shape(s.get(0), s.get(1), s.get(2), 2L * d));
    }

    /** Its parameters for d features: 2·4 + 4 + 4·2 + 2 + (d + 2)·2d + 2d + 2d·d + d. */
    static long parameterCount(long d) {
        return 22 + (d + 2) * 2 * d + 2 * d + 2 * d * d + d;
    }
}
