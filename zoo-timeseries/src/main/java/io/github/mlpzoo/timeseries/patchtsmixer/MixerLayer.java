package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.mixer.AxisMixerBlock;

/**
 * One PatchTSMixer layer (HF {@code PatchTSMixerLayer}) on {@code (B, C, N, d)}: [channel mixer (mix_channel only,
 * gate before MLP)] → patch mixer (axis N; with the optional self-attention over patches) → feature mixer (axis d),
 * each an {@link AxisMixerBlock}.
 */
final class MixerLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final AxisMixerBlock channelMixer;
    private final AxisMixerBlock patchMixer;
    private final AxisMixerBlock featureMixer;

    MixerLayer(PatchTSMixerConfig c) {
        super(VERSION);
        channelMixer = c.mode() == PatchTSMixerConfig.Mode.MIX_CHANNEL
                ? addChildBlock("channelMixer", mixer(c, 1, c.channels()).optGateFirst(true).build())
                : null;
        patchMixer = addChildBlock("patchMixer", mixer(c, 2, c.numPatches())
                .optSelfAttention(c.selfAttention() ? c.selfAttentionHeads() : 0).build());
        featureMixer = addChildBlock("featureMixer", mixer(c, 3, c.dModel()).build());
    }

    private static AxisMixerBlock.Builder mixer(PatchTSMixerConfig c, int axis, int size) {
        return AxisMixerBlock.builder().setAxis(axis).setSize(size).setFeatures(c.dModel())
                .optExpansion(c.expansion()).optDropout(c.dropout()).optGated(c.gatedAttn()).optNorm(c.norm());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList h = inputs;
        if (channelMixer != null) {
            h = channelMixer.forward(ps, h, training);
        }
        h = patchMixer.forward(ps, h, training);
        return featureMixer.forward(ps, h, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (channelMixer != null) {
            channelMixer.initialize(manager, dataType, inputShapes);
        }
        patchMixer.initialize(manager, dataType, inputShapes);
        featureMixer.initialize(manager, dataType, inputShapes);
    }
}
