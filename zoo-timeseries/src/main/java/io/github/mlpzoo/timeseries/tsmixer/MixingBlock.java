package io.github.mlpzoo.timeseries.tsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.ctr.BatchNorm1d;
import io.github.mlpzoo.core.zoo.Configs;

/**
 * One residual block of Google's TSMixer ({@code tsmixer_basic/models/tsmixer.py}, {@code res_block}) on
 * {@code (B, L, C)}:
 * <pre>
 *   time mixing:     r = x + Dropout(transpose(ReLU(Dense_L(transpose(Norm(x))))))     Dense over time, shared by channels
 *   feature mixing:  y = r + Dropout(Dense_C(Dropout(ReLU(Dense_ff(Norm(r))))))          Dense over channels, per step
 * </pre>
 * Norm is over the (L, C) plane: BATCH is Keras' {@code BatchNormalization(axis=[-2, -1])} (batch statistics, one
 * γ, β per step and channel, eps 1e-3, momentum 0.99), LAYER is {@code LayerNormalization(axis=[-2, -1])} (eps 1e-3),
 * both applied to the flattened (B, L·C) view.
 * Dense layers start as Keras' do: Glorot-uniform weights, zero biases. Children: {@code norm1}, {@code time},
 * {@code norm2}, {@code fc1}, {@code fc2}.
 */
final class MixingBlock extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final TSMixerConfig config;
    private final Block norm1;
    private final Linear time;
    private final Block norm2;
    private final Linear fc1;
    private final Linear fc2;

    MixingBlock(TSMixerConfig config) {
        super(VERSION);
        this.config = config;
        norm1 = addChildBlock("norm1", norm(config));
        time = addChildBlock("time", dense(config.contextLength()));
        norm2 = addChildBlock("norm2", norm(config));
        fc1 = addChildBlock("fc1", dense(config.ffDim()));
        fc2 = addChildBlock("fc2", dense(config.channels()));
    }

    private static Block norm(TSMixerConfig c) {
        return c.norm() == TSMixerConfig.Norm.BATCH
                ? BatchNorm1d.keras(c.contextLength() * c.channels())
                : LayerNorm.builder().axis(1).optEpsilon(1e-3f).build();
    }

    /** A Keras {@code Dense(units)}: Glorot-uniform weight (bound sqrt(6 / (fan_in + fan_out))), zero bias. */
    static Linear dense(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        l.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return l;
    }

    private NDArray norm(Block n, ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape(); // both norms act on the flattened (L·C) plane
        NDArray flat = x.reshape(s.get(0), s.get(1) * s.get(2));
        return n.forward(ps, new NDList(flat), training).singletonOrThrow().reshape(s);
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0f ? Dropout.dropout(x, config.dropout(), true).singletonOrThrow() : x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                           // (B, L, C)
        NDArray h = norm(norm1, ps, x, training).swapAxes(1, 2);                          // (B, C, L)
        h = Activation.relu(time.forward(ps, new NDList(h), training).singletonOrThrow()).swapAxes(1, 2);
        NDArray r = x.add(dropout(h, training));
        h = Activation.relu(fc1.forward(ps, new NDList(norm(norm2, ps, r, training)), training)
                .singletonOrThrow());                                                     // (B, L, ff)
        h = fc2.forward(ps, new NDList(dropout(h, training)), training).singletonOrThrow(); // (B, L, C)
        return new NDList(r.add(dropout(h, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long b = in.get(0);
        long l = config.contextLength();
        long c = config.channels();
        Shape normIn = new Shape(b, l * c);
        norm1.initialize(manager, dataType, normIn);
        time.initialize(manager, dataType, new Shape(b, c, l));
        norm2.initialize(manager, dataType, normIn);
        fc1.initialize(manager, dataType, in);
        fc2.initialize(manager, dataType, new Shape(b, l, config.ffDim()));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "MixingBlock" + config;
    }
}
