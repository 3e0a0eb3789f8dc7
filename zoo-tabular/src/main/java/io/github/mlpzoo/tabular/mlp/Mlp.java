package io.github.mlpzoo.tabular.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain MLP baseline of the TabM paper (Gorishniy et al., <i>TabM: Advancing Tabular Deep Learning with
 * Parameter-Efficient Ensembling</i>, ICLR 2025, §4 and appendix; official {@code paper/bin/model.py}, class
 * {@code Model} with {@code arch_type = "plain"}, backbone {@code paper/lib/deep.py}, class {@code MLP}):
 * <pre>
 *   h_0 = x
 *   h_i = Dropout(ReLU(W_i h_{i-1} + b_i)),  i = 1..nBlocks
 *   y   = W_out h_nBlocks + b_out
 * </pre>
 * Shapes: input {@code (B, dIn)} float32, output {@code (B, dOut)}; B is the batch size. Every Linear has PyTorch's
 * default initialization ({@link TorchInit}). The official model returns {@code (B, 1, dOut)} (one "ensemble
 * member"); ours drops that axis.
 *
 * <p>Parameters, official {@code state_dict} name → ours (i = 0..nBlocks-1, n = nBlocks; see {@link #officialKeys}):
 * <pre>
 *   backbone.blocks.{i}.0.weight (dBlock, d_i)  →  {i+1:02d}block_weight
 *   backbone.blocks.{i}.0.bias   (dBlock)       →  {i+1:02d}block_bias
 *   output.weight                (dOut, dBlock) →  {n+1:02d}output_weight
 *   output.bias                  (dOut)         →  {n+1:02d}output_bias
 * </pre>
 * where {@code d_0 = dIn} and {@code d_i = dBlock} otherwise; shapes are PyTorch's and DJL's alike.
 */
public final class Mlp extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final MlpConfig config;
    private final List<Linear> blocks = new ArrayList<>();
    private final Linear output;

    private Mlp(MlpConfig config) {
        super(VERSION);
        this.config = config;
        for (int i = 0; i < config.nBlocks(); i++) {
            blocks.add(addChildBlock("block", TorchInit.apply(Linear.builder().setUnits(config.dBlock()).build())));
        }
        output = addChildBlock("output", TorchInit.apply(Linear.builder().setUnits(config.dOut()).build()));
    }

    /** A builder; {@link Builder#setConfig} or the four {@code set} methods are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** This block's configuration. */
    public MlpConfig config() {
        return config;
    }

    /** Official {@code state_dict} name → our parameter name, in the official order. */
    public static Map<String, String> officialKeys(MlpConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < config.nBlocks(); i++) {
            String ours = String.format("%02dblock_", i + 1);
            keys.put("backbone.blocks." + i + ".0.weight", ours + "weight");
            keys.put("backbone.blocks." + i + ".0.bias", ours + "bias");
        }
        String out = String.format("%02doutput_", config.nBlocks() + 1);
        keys.put("output.weight", out + "weight");
        keys.put("output.bias", out + "bias");
        return Collections.unmodifiableMap(keys);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("Mlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("Mlp", "input", x, InputCheck.ANY, config.dIn());
        InputCheck.float32("Mlp", "input", x);
        for (Linear block : blocks) {
            x = block.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, dBlock)
            x = Activation.relu(x);
            if (config.dropout() > 0f) {
                x = Dropout.dropout(x, config.dropout(), training).singletonOrThrow();
            }
        }
        return output.forward(ps, new NDList(x), training); // (B, dOut)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.dOut())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes);
        long batch = inputShapes[0].get(0);
        Shape in = inputShapes[0];
        for (Linear block : blocks) {
            block.initialize(manager, dataType, in);
            in = new Shape(batch, config.dBlock());
        }
        output.initialize(manager, dataType, in);
    }

    private void check(Shape[] inputShapes) {
        if (inputShapes == null || inputShapes.length != 1) {
            throw new IllegalArgumentException(
                    "Mlp expects 1 input shape; got " + (inputShapes == null ? 0 : inputShapes.length));
        }
        InputCheck.shape("Mlp", "input", inputShapes[0], InputCheck.ANY, config.dIn());
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Mlp" + config;
    }

    /** Builder for {@link Mlp}. */
    public static final class Builder {
        private Integer dIn;
        private Integer dOut;
        private Integer nBlocks;
        private Integer dBlock;
        private float dropout;

        Builder() {}

        /** Takes every field from {@code config}. */
        public Builder setConfig(MlpConfig config) {
            dIn = config.dIn();
            dOut = config.dOut();
            nBlocks = config.nBlocks();
            dBlock = config.dBlock();
            dropout = config.dropout();
            return this;
        }

        /** Input features. */
        public Builder setDIn(int dIn) {
            this.dIn = dIn;
            return this;
        }

        /** Outputs. */
        public Builder setDOut(int dOut) {
            this.dOut = dOut;
            return this;
        }

        /** Number of hidden blocks. */
        public Builder setNBlocks(int nBlocks) {
            this.nBlocks = nBlocks;
            return this;
        }

        /** Width of the hidden blocks. */
        public Builder setDBlock(int dBlock) {
            this.dBlock = dBlock;
            return this;
        }

        /** Dropout rate after each ReLU (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting
         */
        public Mlp build() {
            if (dIn == null || dOut == null || nBlocks == null || dBlock == null) {
                throw new IllegalArgumentException("Mlp needs dIn, dOut, nBlocks and dBlock; missing "
                        + (dIn == null ? "dIn" : dOut == null ? "dOut" : nBlocks == null ? "nBlocks" : "dBlock"));
            }
            return new Mlp(new MlpConfig(dIn, dOut, nBlocks, dBlock, dropout));
        }
    }
}
