package io.github.mlpzoo.vision.raftmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.nn.tokenmix.RaftTokenMixing;

/**
 * One RaftMLP block (the official per-block {@code nn.Sequential}: RaftShrink, vertical {@code PermutedBlock},
 * Rearrange, horizontal {@code PermutedBlock}, RaftExpansion, {@code ChannelBlock}):
 * <pre>
 *   x = RaftTokenMixing(x)                                       vertical then horizontal, each with its residual
 *   x = x + DropPath(fc2(Dropout(GELU(fc1(LN(x))))))             channel MLP, C → eC → C
 * </pre>
 * on {@code (B, h, w, C)}. Children {@code 01tokenMixing}, {@code 02norm}, {@code 03fc1}, {@code 04fc2}.
 */
final class RaftBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int hidden;
    private final float dropout;
    private final float dropPath;
    private final RaftTokenMixing tokenMixing;
    private final LayerNorm norm;
    private final Linear fc1;
    private final Linear fc2;

    RaftBlock(int channels, int raft, int grid, int tokenExpansion, int channelExpansion, float dropout,
            float dropPath) {
        super(VERSION);
        this.channels = channels;
        this.hidden = channelExpansion * channels;
        this.dropout = dropout;
        this.dropPath = dropPath;
        tokenMixing = addChildBlock("tokenMixing", new RaftTokenMixing(channels, raft, grid, grid, tokenExpansion,
                dropout, dropPath));
        norm = addChildBlock("norm", LayerNorm.builder().axis(3).build());
        fc1 = addChildBlock("fc1", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
        fc2 = addChildBlock("fc2", TorchInit.apply(Linear.builder().setUnits(channels).build()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        x = tokenMixing.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, h, w, C)
        NDArray h = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        h = drop(Activation.gelu(fc1.forward(ps, new NDList(h), training).singletonOrThrow()), training);
        h = drop(fc2.forward(ps, new NDList(h), training).singletonOrThrow(), training);
        return new NDList(x.add(DropPath.dropPath(h, dropPath, training)));
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private void check(Shape s) {
        InputCheck.shape("RaftBlock", "input (B, h, w, C)", s, InputCheck.ANY, InputCheck.ANY, InputCheck.ANY,
                channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        tokenMixing.initialize(manager, dataType, s);
        norm.initialize(manager, dataType, s);
        fc1.initialize(manager, dataType, s);
        fc2.initialize(manager, dataType, new Shape(s.get(0), s.get(1), s.get(2), hidden));
    }

    @Override
    public String toString() {
        return "RaftBlock(" + channels + ")";
    }
}
