package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * An element-wise affine map {@code y = x ⊙ w (+ b)} over the trailing axes {@code (k, d)} ({@code tabm.py},
 * {@code ElementwiseAffine}); TabM-mini's only non-shared parameters, applied to the {@code (B, k, d)} input.
 * {@code weight (k, d)} starts from a {@link ScalingInit} (optionally chunked), {@code bias (k, d)} from zeros.
 */
public final class ElementwiseAffine extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int k;
    private final int d;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * An affine map on {@code (B, k, d)}.
     *
     * @param init the weight's initialization
     * @param chunks the initialization chunks of the last axis (see {@link ScalingInit}), or null
     */
    public ElementwiseAffine(int k, int d, boolean withBias, ScalingInit init, int[] chunks) {
        super(VERSION);
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("ElementwiseAffine needs k, d >= 1; got k=" + k + ", d=" + d);
        }
        if (chunks != null && java.util.Arrays.stream(chunks).sum() != d) {
            throw new IllegalArgumentException("ElementwiseAffine chunks must sum to d=" + d + "; got "
                    + java.util.Arrays.toString(chunks));
        }
        this.k = k;
        this.d = d;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k, d)).optInitializer(init.initializer(chunks)).build());
        bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(k, d)).optInitializer(Initializer.ZEROS).build())
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("ElementwiseAffine", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("ElementwiseAffine", "input", x, InputCheck.ANY, k, d);
        var device = x.getDevice();
        x = x.mul(ps.getValue(weight, device, training)); // (B, k, d)
        return new NDList(bias == null ? x : x.add(ps.getValue(bias, device, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("ElementwiseAffine", "input", inputShapes[0], InputCheck.ANY, k, d);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return String.format("ElementwiseAffine(k=%d, d=%d, bias=%b)", k, d, bias != null);
    }
}
