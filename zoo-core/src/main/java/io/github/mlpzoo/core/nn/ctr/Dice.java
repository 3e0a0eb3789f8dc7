package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Dice, the data-adaptive activation of DIN (Zhou et al., <i>Deep Interest Network for Click-Through Rate
 * Prediction</i>, KDD 2018, §4.3, eq. 9), as DeepCTR-Torch codes it ({@code deepctr_torch/layers/activation.py},
 * class {@code Dice}):
 * <pre>
 *   p = sigmoid(BN(x)),   y = alpha * (1 - p) * x + p * x
 * </pre>
 * with {@code BN = BatchNorm1d(C, eps = 1e-8)} (affine, running statistics: batch statistics in training, moving ones
 * in inference, as the paper says) and {@code alpha} (C) initialized to 0. The official TF code
 * ({@code zhougr1993/DeepInterestNetwork}, {@code din/Dice.py}) differs: its normalization has no affine parameters
 * and it computes {@code p = sigmoid(beta * x_norm)} with a learned {@code beta}; DeepCTR's version is the one our
 * golden parity follows. Shapes: input {@code (N, C)} or {@code (N, T, C)} (statistics over N and T, like DeepCTR's
 * {@code dim=3} on the transposed tensor), output the same. Parameters: {@code alpha} (C), child {@code 01bn}.
 */
public final class Dice extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field
    /** DeepCTR's Dice epsilon. */
    public static final float EPS = 1e-8f;

    private final int channels;
    private final Parameter alpha;
    private final BatchNorm1d bn;

    /** Dice over {@code channels} channels (the last axis). */
    public Dice(int channels) {
        super(VERSION);
        this.channels = channels;
        bn = addChildBlock("bn", new BatchNorm1d(channels, EPS));
        alpha = addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER)
                .optInitializer((m, s, t) -> m.zeros(s, t)).optShape(new Shape(channels)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("Dice", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        NDArray a = ps.getValue(alpha, x.getDevice(), training);
        NDArray p = Activation.sigmoid(bn.forward(ps, inputs, training).singletonOrThrow());
        return new NDList(x.mul(p.add(p.neg().add(1f).mul(a))));   // alpha (1 - p) x + p x
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return bn.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        bn.initialize(manager, dataType, inputShapes);
    }

    @Override
    public String toString() {
        return "Dice(" + channels + ")";
    }
}
