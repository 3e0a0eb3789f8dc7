package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * PyTorch's {@code nn.BatchNorm1d(C, eps)} with affine parameters and running statistics, over the last axis:
 * <pre>
 *   training:  y = (x - mean_B) / sqrt(var_B + eps) * gamma + beta,   statistics over every axis but the last
 *              running_mean = 0.9 running_mean + 0.1 mean_B;  running_var = 0.9 running_var + 0.1 var_B * n/(n-1)
 *   inference: y = (x - running_mean) / sqrt(running_var + eps) * gamma + beta
 * </pre>
 * Shapes: input {@code (N, C)} or {@code (N, T, C)}, output the same. For {@code (N, T, C)} this equals PyTorch's
 * {@code BatchNorm1d} on the transposed {@code (N, C, T)} tensor, as DeepCTR's Dice applies it. Parameters:
 * {@code gamma}, {@code beta} (trainable), {@code runningMean}, {@code runningVar} (state, no gradient).
 * {@link #keras} gives Keras' {@code BatchNormalization} instead: eps 1e-3, moving averages with weight 0.99 on the
 * old value, and the biased batch variance tracked.
 */
public final class BatchNorm1d extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field
    static final float MOMENTUM = 0.1f;

    private final int channels;
    private final float eps;
    private final float momentum;
    private final boolean unbiased;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** Batch normalization of {@code channels} channels (the last axis) with {@code eps} (PyTorch's default 1e-5). */
    public BatchNorm1d(int channels, float eps) {
        this(channels, eps, MOMENTUM, true);
    }

    /** Keras' {@code BatchNormalization()} defaults over the last axis: eps 1e-3, momentum 0.99, biased variance. */
    public static BatchNorm1d keras(int channels) {
        return new BatchNorm1d(channels, 1e-3f, 0.01f, false);
    }

    private BatchNorm1d(int channels, float eps, float momentum, boolean unbiased) {
        super(VERSION);
        this.momentum = momentum;
        this.unbiased = unbiased;
        if (channels < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm1d needs channels >= 1 and eps > 0; got " + channels + ", " + eps);
        }
        this.channels = channels;
        this.eps = eps;
        Shape c = new Shape(channels);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(c).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(c).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).optShape(c).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).optShape(c).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("BatchNorm1d", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        var device = x.getDevice();
        NDArray g = ps.getValue(gamma, device, training);
        NDArray b = ps.getValue(beta, device, training);
        NDArray rm = ps.getValue(runningMean, device, training);
        NDArray rv = ps.getValue(runningVar, device, training);
        if (!training) {
            // every op starts from the input (or an array in its manager) so no result lands in the parameters' manager
            NDArray std = x.getManager().create(eps).add(rv).sqrt();
            return new NDList(x.sub(rm).div(std).mul(g).add(b));
        }
        Shape shape = x.getShape();
        long n = shape.size() / channels;
        if (n < (unbiased ? 2 : 1)) { // PyTorch refuses a single value per channel, Keras normalizes it to β
            throw new IllegalArgumentException("BatchNorm1d in training needs more than 1 value per channel; got input "
                    + shape);
        }
        NDArray flat = x.reshape(n, channels);                 // (N', C)
        NDArray mean = flat.mean(new int[] {0});               // (C)
        NDArray centered = flat.sub(mean);
        NDArray var = centered.square().mean(new int[] {0});   // biased, as PyTorch normalizes
        NDArray y = centered.div(var.add(eps).sqrt()).mul(g).add(b).reshape(shape);
        try (NDArray m = mean.stopGradient(); NDArray v = var.stopGradient()) {
            rm.muli(1f - momentum).addi(m.mul(momentum));
            // PyTorch tracks the unbiased variance, Keras the biased one
            rv.muli(1f - momentum).addi(v.mul(unbiased ? momentum * n / (float) (n - 1) : momentum));
        }
        return new NDList(y);
    }

    private void check(Shape shape) {
        if (shape.dimension() < 2 || shape.get(shape.dimension() - 1) != channels) {
            throw new IllegalArgumentException(String.format(
                    "BatchNorm1d expects input (N, ..., %d): axis %d must be %d; got %s",
                    channels, Math.max(shape.dimension() - 1, 1), channels, shape));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "BatchNorm1d(" + channels + ", eps=" + eps + ")";
    }
}
