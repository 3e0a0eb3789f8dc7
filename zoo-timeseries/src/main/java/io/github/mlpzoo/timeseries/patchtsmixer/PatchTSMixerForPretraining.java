package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.zoo.Configs;

/**
 * PatchTSMixer for masked-patch pretraining (HF {@code PatchTSMixerForPretraining}): the backbone sees the scaled
 * patches with some of them masked, and a linear head reconstructs every patch.
 * <pre>
 *   x (B, T, C) → {@link PatchTSMixerModel} with masking → h (B, C, N, d), patches (B, C, N, P), mask (B, C, N)
 *   → Dropout(head_dropout) → Linear(d → P) → x̂ (B, C, N, P)
 * </pre>
 * Output {@code NDList(x̂, patches, mask)}, the target being the scaled, unmasked patches; train with {@link #loss}.
 * As in HF, the mask is drawn in evaluation too. The backbone ({@code 01model}) has the same parameter names as the
 * forecasting and target models' backbones, so its weights carry over to fine-tuning
 * ({@link #copyBackboneTo}). The head is {@code 02head} ({@code head.base_pt_block.*}).
 */
public final class PatchTSMixerForPretraining extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final PatchTSMixerPretrainConfig config;
    private final PatchTSMixerModel model;
    private final Linear head;

    /** The model for {@code config}. */
    public PatchTSMixerForPretraining(PatchTSMixerPretrainConfig config) {
        super(VERSION);
        this.config = config;
        model = addChildBlock("model", new PatchTSMixerModel(config.model(), config.masking()));
        head = addChildBlock("head",
                TorchInit.apply(Linear.builder().setUnits(config.model().patchLength()).build()));
    }

    /** This model's configuration. */
    public PatchTSMixerPretrainConfig config() {
        return config;
    }

    /** The pretraining loss of this config: {@link MaskedPatchLoss}, over masked patches only or over all. */
    public Loss loss() {
        return new MaskedPatchLoss(config.maskedLoss());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList encoded = model.forward(ps, inputs, training);           // hidden, patches, loc, scale, mask
        NDArray h = encoded.get(0);
        if (training && config.model().headDropout() > 0f) {
            h = Dropout.dropout(h, config.model().headDropout(), true).singletonOrThrow();
        }
        NDArray reconstruction = head.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(reconstruction, encoded.get(1), encoded.get(4));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = model.getOutputShapes(inputShapes);
        return new Shape[] {s[1], s[1], s[4]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, model.getOutputShapes(inputShapes)[0]);
    }

    /** HF's names → ours: the backbone as {@link PatchTSMixerKeyMap}, {@code head.base_pt_block.*} → {@code 02head_*}. */
    public static io.github.mlpzoo.core.weights.KeyMap keyMap(PatchTSMixerPretrainConfig config) {
        return PatchTSMixerKeyMap.model(config.model()).rename("head\\.base_pt_block\\.(weight|bias)", "02head_{1}")
                .build();
    }

    /**
     * Copies the pretrained backbone into {@code target}'s backbone: a {@link PatchTSMixer} or
     * {@link PatchTSMixerForTargets}, initialized, whose backbone config equals this one's up to the masking (in
     * common_channel mode the channel count may differ: the weights are shared by all channels). Every
     * parameter is checked before any is copied, so a refused target is left unchanged.
     *
     * @return the number of arrays copied
     * @throws IllegalArgumentException if the target has no such backbone or a shape differs
     */
    public int copyBackboneTo(ai.djl.nn.Block target) {
        PairList<String, ai.djl.nn.Parameter> ours = getParameters();
        PairList<String, ai.djl.nn.Parameter> theirs = target.getParameters();
        for (String name : theirs.keys()) {
            if (name.startsWith("01model_") && ours.get(name) == null) {
                throw new IllegalArgumentException("copyBackboneTo: the target's backbone has " + name
                        + ", which the pretrained backbone lacks; build it with the same backbone config (target: "
                        + target + ")");
            }
        }
        for (int pass = 0; pass < 2; pass++) {                       // check everything, then copy
            for (int i = 0; i < ours.size(); i++) {
                String name = ours.keyAt(i);
                if (!name.startsWith("01model_")) {
                    continue;
                }
                ai.djl.nn.Parameter to = theirs.get(name);
                NDArray from = ours.valueAt(i).getArray();
                if (to == null || !to.isInitialized() || !to.getArray().getShape().equals(from.getShape())) {
                    throw new IllegalArgumentException("copyBackboneTo: the target has no initialized parameter "
                            + name + " of shape " + from.getShape() + "; build it with the same backbone config and "
                            + "initialize it first (target: " + target + ")");
                }
                if (pass == 1) {
                    from.copyTo(to.getArray());
                }
            }
        }
        int copied = 0;
        for (String name : ours.keys()) {
            copied += name.startsWith("01model_") ? 1 : 0;
        }
        return copied;
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "PatchTSMixerForPretraining" + config;
    }
}
