package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * k fully independent linear layers applied to k inputs in one batched matmul ({@code tabm.py},
 * {@code LinearEnsemble}; TabM's output head and the layers of TabM-packed): {@code y_i = x_i W_i + b_i}.
 * Shapes: input {@code (B, k, in)}, output {@code (B, k, out)}; parameters {@code weight (k, in, out)} (note: not
 * transposed like {@code nn.Linear}) and {@code bias (k, out)}, both U(±1/√in).
 */
public final class LinearEnsemble extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int in;
    private final int out;
    private final int k;
    private final Parameter weight;
    private final Parameter bias;

    /** k linear layers {@code in → out}, with or without bias. */
    public LinearEnsemble(int in, int out, int k, boolean withBias) {
        super(VERSION);
        if (in < 1 || out < 1 || k < 1) {
            throw new IllegalArgumentException(String.format(
                    "LinearEnsemble needs in, out and k >= 1; got in=%d, out=%d, k=%d", in, out, k));
        }
        this.in = in;
        this.out = out;
        this.k = k;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(k, in, out)).optInitializer(Uniform.rsqrt(in)).build());
        bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(k, out)).optInitializer(Uniform.rsqrt(in)).build())
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("LinearEnsemble", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("LinearEnsemble", "input", x, InputCheck.ANY, k, in);
        var device = x.getDevice();
        x = x.transpose(1, 0, 2).matMul(ps.getValue(weight, device, training)).transpose(1, 0, 2); // (B, k, out)
        return new NDList(bias == null ? x : x.add(ps.getValue(bias, device, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("LinearEnsemble", "input", inputShapes[0], InputCheck.ANY, k, in);
        return new Shape[] {new Shape(inputShapes[0].get(0), k, out)};
    }

    @Override
    public String toString() {
        return String.format("LinearEnsemble(in=%d, out=%d, k=%d, bias=%b)", in, out, k, bias != null);
    }
}
