package io.github.mlpzoo.timeseries.tsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.scale.RevIN;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * Google's TSMixer (Chen, Li, Arik, Yoder, Pfister, <i>TSMixer: An All-MLP Architecture for Time Series
 * Forecasting</i>, TMLR 2023, arXiv 2303.06053), as the official Keras code builds it ({@code google-research}
 * {@code tsmixer/tsmixer_basic/models/tsmixer.py} and {@code tsmixer_rev_in.py}). Letters: B batch, L context, C
 * channels, H horizon.
 * <pre>
 *   x (B, L, C) → [RevIN normalize]
 *   → n_block × {@link MixingBlock}: time-mixing MLP (Dense over L, shared by channels) and feature-mixing MLP
 *     (Dense C → ff → C), each pre-normed, with dropout and a residual
 *   → transpose (B, C, L) → Dense(L → H) → transpose (B, H, C) → [RevIN denormalize]
 * </pre>
 * Unlike IBM's PatchTSMixer (a separate model in this module) there are no patches: the time mixer is a single
 * L×L dense layer with ReLU, and channels are mixed in every block. The official {@code target_slice} (forecast a
 * subset of channels) is not taken: all C channels are forecast. The input must be fully observed (NaN is refused).
 * Parameter count: {@link TSMixerConfig#parameterCount()}.
 */
public final class TSMixer extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final TSMixerConfig config;
    private final Block body;

    /** The forecasting model for {@code config}. */
    public TSMixer(TSMixerConfig config) {
        super(VERSION);
        this.config = config;
        Block mixer = new Mixer(config);
        body = addChildBlock(config.revIn() ? "revin" : "mixer",
                config.revIn() ? new RevIN(config.channels(), mixer) : mixer);
    }

    /** This model's configuration. */
    public TSMixerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("TSMixer", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        InputCheck.float32("TSMixer", "past_values", x);
        InputCheck.noNaN("TSMixer", "past_values", x, "fill or impute missing values first");
        return body.forward(ps, inputs, training);
    }

    private void check(Shape s) {
        InputCheck.shape("TSMixer", "past_values (B, L, C)", s, InputCheck.ANY, config.contextLength(),
                config.channels());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.predictionLength(), config.channels())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        body.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "TSMixer" + config;
    }

    /** The blocks and the temporal projection head, (B, L, C) → (B, H, C). */
    static final class Mixer extends DescribedBlock {

        private final TSMixerConfig config;
        private final List<MixingBlock> blocks = new ArrayList<>();
        private final Linear head;

        Mixer(TSMixerConfig config) {
            super(VERSION);
            this.config = config;
            for (int i = 0; i < config.blocks(); i++) {
                blocks.add(addChildBlock("block", new MixingBlock(config)));
            }
            head = addChildBlock("head", MixingBlock.dense(config.predictionLength()));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray h = inputs.singletonOrThrow();
            for (MixingBlock b : blocks) {
                h = b.forward(ps, new NDList(h), training).singletonOrThrow();
            }
            NDArray y = head.forward(ps, new NDList(h.swapAxes(1, 2)), training).singletonOrThrow(); // (B, C, H)
            return new NDList(y.swapAxes(1, 2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), config.predictionLength(), config.channels())};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            for (MixingBlock b : blocks) {
                b.initialize(manager, dataType, inputShapes);
            }
            Shape in = inputShapes[0];
            head.initialize(manager, dataType, new Shape(in.get(0), config.channels(), config.contextLength()));
        }

        @Override
        protected String describe() {
            return Configs.describeWeights(config);
        }

        @Override
        public String toString() {
            return "TSMixer.Mixer" + config;
        }
    }
}
