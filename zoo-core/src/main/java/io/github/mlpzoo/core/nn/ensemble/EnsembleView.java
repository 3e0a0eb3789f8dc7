package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Turns one representation per object into k identical member inputs ({@code tabm.py}, {@code EnsembleView}):
 * {@code (B, D) → (B, k, D)} by broadcasting (no copy); an input already shaped {@code (B, k, D)} (k different
 * batches, one per member) passes through unchanged. Any other rank, or a middle axis other than k, is an
 * {@link IllegalArgumentException}.
 */
public final class EnsembleView extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int k;

    /** A view for {@code k >= 1} members. */
    public EnsembleView(int k) {
        super(VERSION);
        if (k < 1) {
            throw new IllegalArgumentException("EnsembleView expects k >= 1; got " + k);
        }
        this.k = k;
    }

    /** The number of members. */
    public int k() {
        return k;
    }

    /** The functional form: {@code (B, D) → (B, k, D)}, or {@code (B, k, D)} unchanged. */
    public static NDArray view(NDArray x, int k) {
        Shape s = x.getShape();
        if (s.dimension() == 2) {
            return x.expandDims(1).broadcast(new Shape(s.get(0), k, s.get(1))); // (B, k, D)
        }
        InputCheck.shape("EnsembleView", "input (B, D) or (B, k, D)", s, InputCheck.ANY, k, InputCheck.ANY);
        return x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("EnsembleView", inputs, 1);
        return new NDList(view(inputs.singletonOrThrow(), k));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() == 2) {
            return new Shape[] {new Shape(s.get(0), k, s.get(1))};
        }
        InputCheck.shape("EnsembleView", "input (B, D) or (B, k, D)", s, InputCheck.ANY, k, InputCheck.ANY);
        return new Shape[] {s};
    }

    @Override
    public String toString() {
        return "EnsembleView(k=" + k + ")";
    }
}
