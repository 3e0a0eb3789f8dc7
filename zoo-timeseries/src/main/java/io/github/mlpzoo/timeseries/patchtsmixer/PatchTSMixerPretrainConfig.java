package io.github.mlpzoo.timeseries.patchtsmixer;

import io.github.mlpzoo.core.nn.patch.PatchMasking;
import io.github.mlpzoo.core.zoo.TrainingOnly;

/**
 * The configuration of {@link PatchTSMixerForPretraining}, HF's names in brackets.
 *
 * @param model the backbone's configuration ({@code predictionLength} and the reconciliation settings are not used)
 * @param masking which patches are hidden from the encoder [mask_type, random_mask_ratio, num_forecast_mask_patches,
 *     channel_consistent_masking, unmasked_channel_indices, mask_value]
 * @param maskedLoss the loss counts masked patches only (HF's default) instead of every patch [masked_loss]
 */
public record PatchTSMixerPretrainConfig(PatchTSMixerConfig model, @TrainingOnly PatchMasking masking, @TrainingOnly boolean maskedLoss) {

    public PatchTSMixerPretrainConfig {
        if (model == null || masking == null) {
            throw new IllegalArgumentException("model and masking must be set; got " + model + ", " + masking);
        }
        if (model.reconcileContext() != 0 || model.hierarchical()) {
            throw new IllegalArgumentException("the reconciliation heads belong to the forecasting model; set "
                    + "reconcileContext=0 and hierarchical=false for pretraining");
        }
        masking.check(model.numPatches(), model.channels());
    }

    /**
     * HF's defaults: the default backbone, random masking of half the patches, the same in every channel, mask
     * value 0, masked loss.
     */
    public static PatchTSMixerPretrainConfig hfDefault() {
        return new PatchTSMixerPretrainConfig(PatchTSMixerConfig.hfDefault(),
                new PatchMasking(PatchMasking.Type.RANDOM, 0.5f, new int[] {2}, true, new int[0], 0f), true);
    }

    /** Trainable parameters: backbone and Linear(d → P). */
    public long parameterCount() {
        return model.encoderParameterCount() + (long) model.dModel() * model.patchLength() + model.patchLength();
    }
}
