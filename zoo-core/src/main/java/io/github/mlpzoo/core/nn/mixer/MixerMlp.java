package io.github.mlpzoo.core.nn.mixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * The two-layer MLP of the MLP-Mixer family, acting on the last axis (HF {@code modeling_patchtsmixer.py},
 * {@code PatchTSMixerMLP}; Google {@code tsmixer_basic/models/tsmixer.py}, feature MLP):
 * <pre>
 *   y = Dropout(W2 · Dropout(act(W1 x + b1)) + b2)      W1: (n·e, n), W2: (out, n·e)
 * </pre>
 * Shapes: input {@code (..., n)}, output {@code (..., out)}. Parameters {@code 01fc1_*}, {@code 02fc2_*} (HF
 * {@code fc1.*}, {@code fc2.*}); PyTorch's default Linear init.
 */
public final class MixerMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The activation between the two layers. */
    public enum Act {
        /** Exact (erf) GELU, as {@code nn.functional.gelu}. */
        GELU,
        /** ReLU. */
        RELU
    }

    private final int in;
    private final int hidden;
    private final int out;
    private final float dropout;
    private final Act act;
    private final Linear fc1;
    private final Linear fc2;

    /**
     * An MLP {@code in → hidden → out}.
     *
     * @param dropout the rate of both dropouts, in [0, 1)
     */
    public MixerMlp(int in, int hidden, int out, float dropout, Act act) {
        super(VERSION);
        if (in < 1 || hidden < 1 || out < 1) {
            throw new IllegalArgumentException(
                    "MixerMlp sizes must be >= 1; got in=" + in + ", hidden=" + hidden + ", out=" + out);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("MixerMlp dropout must be in [0, 1); got " + dropout);
        }
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.dropout = dropout;
        this.act = act;
        fc1 = addChildBlock("fc1", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
        fc2 = addChildBlock("fc2", TorchInit.apply(Linear.builder().setUnits(out).build()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("MixerMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray h = fc1.forward(ps, new NDList(x), training).singletonOrThrow();
        h = act == Act.GELU ? Activation.gelu(h) : Activation.relu(h);
        h = drop(h, training);
        h = fc2.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(drop(h, training));
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        Shape s = inputShapes[0];
        fc1.initialize(manager, dataType, s);
        fc2.initialize(manager, dataType, s.slice(0, s.dimension() - 1).add(hidden));
    }

    private void check(Shape s) {
        int last = s.dimension() - 1;
        if (last < 0 || s.get(last) != in) {
            throw new IllegalArgumentException(String.format(
                    "MixerMlp expects input (..., %d): axis %d (the last) must be %d; got %s", in, last, in, s));
        }
    }

    @Override
    public String toString() {
        return "MixerMlp(" + in + " -> " + hidden + " -> " + out + ", " + act + ", dropout " + dropout + ")";
    }
}
