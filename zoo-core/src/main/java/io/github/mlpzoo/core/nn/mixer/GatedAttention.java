package io.github.mlpzoo.core.nn.mixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * The gated-attention gate of TSMixer (Ekambaram et al., KDD 2023, §4.1.2 "gated attention"; HF
 * {@code modeling_patchtsmixer.py}, {@code PatchTSMixerGatedAttention}):
 * <pre>
 *   y = x ⊙ softmax(W x + b)      softmax over the last axis, W of shape (n, n)
 * </pre>
 * Shapes: input {@code (..., n)} of any rank &ge; 1, output the same. Parameters: {@code 01attn_weight (n, n)},
 * {@code 01attn_bias (n)} (HF {@code attn_layer.*}); PyTorch's default Linear init.
 */
public final class GatedAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int size;
    private final Linear attn;

    /** A gate over a last axis of {@code size} elements. */
    public GatedAttention(int size) {
        super(VERSION);
        if (size < 1) {
            throw new IllegalArgumentException("GatedAttention size must be >= 1; got " + size);
        }
        this.size = size;
        attn = addChildBlock("attn", TorchInit.apply(Linear.builder().setUnits(size).build()));
    }

    /** The size of the gated (last) axis. */
    public int size() {
        return size;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GatedAttention", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray weight = attn.forward(ps, new NDList(x), training).singletonOrThrow().softmax(-1);
        return new NDList(x.mul(weight));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        attn.initialize(manager, dataType, inputShapes[0]);
    }

    private void check(Shape s) {
        int last = s.dimension() - 1;
        if (last < 0 || s.get(last) != size) {
            throw new IllegalArgumentException(String.format(
                    "GatedAttention expects input (..., %d): axis %d (the last) must be %d; got %s", size, last, size, s));
        }
    }

    @Override
    public String toString() {
        return "GatedAttention(" + size + ")";
    }
}
