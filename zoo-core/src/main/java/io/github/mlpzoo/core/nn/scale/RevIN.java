package io.github.mlpzoo.core.nn.scale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * Reversible instance normalization (Kim et al., <i>Reversible Instance Normalization for Accurate Time-Series
 * Forecasting against Distribution Shift</i>, ICLR 2022) wrapped around a forecaster, as Google's TSMixer applies it
 * ({@code google-research} {@code tsmixer/tsmixer_basic/models/rev_in.py}, {@code RevNorm(axis=-2)}, eps 1e-5,
 * affine). Letters: B batch, T context steps, H horizon, C channels.
 * <pre>
 *   μ, σ = mean and sqrt(population variance + 1e-5) of x over time, per window and channel   (B, 1, C), no gradient
 *   x' = (x − μ) / σ · w + b                                                                     w = 1, b = 0 at init
 *   y' = inner(x')                                                                               (B, T, C) → (B, H, C)
 *   y  = (y' − b) / w · σ + μ
 * </pre>
 * The statistics are those of {@link SeriesScaler#STD} with the gradient stopped, as the official {@code
 * tf.stop_gradient}; the denormalization divides by w with no epsilon, as the official code does. Children:
 * {@code inner}; parameters {@code affineWeight}, {@code affineBias} (C).
 */
public final class RevIN extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final int channels;
    private final Block inner;
    private final Parameter weight;
    private final Parameter bias;

    /** RevIN over {@code channels} channels around {@code inner}, a block mapping (B, T, C) to (B, H, C). */
    public RevIN(int channels, Block inner) {
        super(VERSION);
        if (channels < 1 || inner == null) {
            throw new IllegalArgumentException("RevIN needs channels >= 1 and an inner block; got " + channels
                    + ", " + inner);
        }
        this.channels = channels;
        this.inner = addChildBlock("inner", inner);
        Shape c = new Shape(channels);
        weight = addParameter(Parameter.builder().setName("affineWeight").setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ONES).optShape(c).build());
        bias = addParameter(Parameter.builder().setName("affineBias").setType(Parameter.Type.BETA)
                .optInitializer(Initializer.ZEROS).optShape(c).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("RevIN", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        NDList s = SeriesScaler.STD.apply(x);
        NDArray mean = s.get(1).stopGradient();
        NDArray std = s.get(2).stopGradient();
        NDArray xn = x.sub(mean).div(std).mul(w).add(b);
        NDArray y = inner.forward(ps, new NDList(xn), training).singletonOrThrow();
        InputCheck.shape("RevIN", "the inner block's output (B, H, C)", y, x.getShape().get(0), InputCheck.ANY,
                channels);
        return new NDList(y.sub(b).div(w).mul(std).add(mean));
    }

    private void check(Shape s) {
        InputCheck.shape("RevIN", "x (B, T, C)", s, InputCheck.ANY, InputCheck.ANY, channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        inner.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected String describe() { // the inner forecaster checks its own description when it loads
        return "RevIN(" + channels + ")";
    }

    @Override
    public String toString() {
        return "RevIN(" + channels + ", " + inner + ")";
    }
}
