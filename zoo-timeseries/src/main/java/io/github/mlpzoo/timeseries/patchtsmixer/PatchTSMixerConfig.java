package io.github.mlpzoo.timeseries.patchtsmixer;

import io.github.mlpzoo.core.nn.mixer.AxisMixerBlock;
import io.github.mlpzoo.core.nn.patch.Patchify;
import io.github.mlpzoo.core.nn.scale.SeriesScaler;

/**
 * The configuration of {@link PatchTSMixer}, with HF's names in brackets ({@code PatchTSMixerConfig},
 * {@code configuration_patchtsmixer.py}).
 *
 * @param contextLength T, input time steps [context_length]; {@code (T - P)} must be a multiple of S
 * @param patchLength P [patch_length]
 * @param patchStride S [patch_stride]
 * @param channels C, input channels [num_input_channels]
 * @param dModel d, hidden size of each patch [d_model]
 * @param expansion e, MLP expansion [expansion_factor]
 * @param layers L, mixer layers [num_layers]
 * @param dropout dropout inside the mixers [dropout]
 * @param headDropout dropout before the head [head_dropout]
 * @param mode channel handling [mode]: COMMON_CHANNEL (channel-independent) or MIX_CHANNEL (adds a channel mixer)
 * @param gatedAttn the gated-attention gate in every mixer [gated_attn]
 * @param norm LAYER or BATCH [norm_mlp: "LayerNorm" / "BatchNorm"]
 * @param scaling STD, MEAN or NONE [scaling]
 * @param predictionLength H, forecast steps [prediction_length]
 * @param reconcileContext w &gt; 0 adds the paper's cross-channel forecast reconciliation head looking w steps to
 *     either side of each forecast step (0: none; not in HF, see {@link CrossChannelReconciliation})
 * @param hierarchical adds the paper's online hierarchical patch reconciliation head (not in HF, see
 *     {@link HierarchicalReconciliation}); H must then be a multiple of P
 */
public record PatchTSMixerConfig(
        int contextLength, int patchLength, int patchStride, int channels, int dModel, int expansion, int layers,
        float dropout, float headDropout, Mode mode, boolean gatedAttn, AxisMixerBlock.Norm norm,
        SeriesScaler scaling, int predictionLength, int reconcileContext, boolean hierarchical) {

    /** How channels are treated. */
    public enum Mode {
        /** Channels share all weights and never mix (HF {@code common_channel}). */
        COMMON_CHANNEL,
        /** A channel mixer before each patch mixer (HF {@code mix_channel}). */
        MIX_CHANNEL
    }

    public PatchTSMixerConfig {
        Patchify.numPatches(contextLength, patchLength, patchStride); // validates T, P, S with a clear message
        positive("channels", channels);
        positive("dModel", dModel);
        positive("expansion", expansion);
        positive("layers", layers);
        positive("predictionLength", predictionLength);
        rate("dropout", dropout);
        rate("headDropout", headDropout);
        if (reconcileContext < 0) {
            throw new IllegalArgumentException("reconcileContext must be >= 0 (0: no cross-channel head); got "
                    + reconcileContext);
        }
        if (hierarchical && predictionLength % patchLength != 0) {
            throw new IllegalArgumentException("the hierarchical head needs predictionLength to be a multiple of "
                    + "patchLength; got " + predictionLength + " and " + patchLength);
        }
        if (mode == null || norm == null || scaling == null) {
            throw new IllegalArgumentException(
                    "mode, norm and scaling must be set; got " + mode + ", " + norm + ", " + scaling);
        }
    }

    /** The HF model: no reconciliation head. */
    public PatchTSMixerConfig(int contextLength, int patchLength, int patchStride, int channels, int dModel,
            int expansion, int layers, float dropout, float headDropout, Mode mode, boolean gatedAttn,
            AxisMixerBlock.Norm norm, SeriesScaler scaling, int predictionLength) {
        this(contextLength, patchLength, patchStride, channels, dModel, expansion, layers, dropout, headDropout, mode,
                gatedAttn, norm, scaling, predictionLength, 0, false);
    }

    /** This config with the reconciliation heads set as given. */
    public PatchTSMixerConfig withReconciliation(int context, boolean hierarchicalHead) {
        return new PatchTSMixerConfig(contextLength, patchLength, patchStride, channels, dModel, expansion, layers,
                dropout, headDropout, mode, gatedAttn, norm, scaling, predictionLength, context, hierarchicalHead);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1; got " + v);
        }
    }

    private static void rate(String name, float v) {
        if (!(v >= 0f && v < 1f)) {
            throw new IllegalArgumentException(name + " must be in [0, 1); got " + v);
        }
    }

    /** HF's {@code PatchTSMixerConfig()} defaults (context 32, patch 8, d_model 8, 3 layers, horizon 16, 1 channel). */
    public static PatchTSMixerConfig hfDefault() {
        return new PatchTSMixerConfig(32, 8, 8, 1, 8, 2, 3, 0.2f, 0.2f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 16);
    }

    /**
     * IBM's ETTh1 configuration from {@code granite-tsfm} {@code patch_tsmixer_getting_started.ipynb}: context 512,
     * horizon 96, patch 8, stride 8, d_model 48, 3 layers, expansion 3, dropout 0.5, head dropout 0.7, common channel,
     * std scaling, 7 channels; 432,096 parameters.
     */
    public static PatchTSMixerConfig etth1() {
        return new PatchTSMixerConfig(512, 8, 8, 7, 48, 3, 3, 0.5f, 0.7f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 96);
    }

    /**
     * The released checkpoint's config ({@code ibm-granite/granite-timeseries-patchtsmixer}): context 512, patch 16,
     * stride 16, d_model 48, expansion 3, 2 layers, dropout 0.5, head dropout 0.5, horizon 96, 7 channels.
     */
    public static PatchTSMixerConfig released() {
        return new PatchTSMixerConfig(512, 16, 16, 7, 48, 3, 2, 0.5f, 0.5f, Mode.COMMON_CHANNEL, true,
                AxisMixerBlock.Norm.LAYER, SeriesScaler.STD, 96);
    }

    /** N, the number of patches. */
    public int numPatches() {
        return Patchify.numPatches(contextLength, patchLength, patchStride);
    }

    /** The number of trainable parameters, counted from HF's module structure (plus the reconciliation heads). */
    public long parameterCount() {
        long n = numPatches();
        long d = dModel;
        long e = expansion;
        long patcher = patchLength * d + d;
        long perLayer = mixer(n, d, e) + mixer(d, d, e) + (mode == Mode.MIX_CHANNEL ? mixer(channels, d, e) : 0);
        long head = n * d * predictionLength + predictionLength;
        return patcher + layers * perLayer + head + CrossChannelReconciliation.parameterCount(reconcileContext, channels)
                + (hierarchical ? HierarchicalReconciliation.parameterCount(n * d, predictionLength, patchLength) : 0);
    }

    /** One mixer over an axis of size k on features of size d: norm 2d, MLP k→k·e→k, gate k×k. */
    private long mixer(long k, long d, long e) {
        return 2 * d + (k * k * e + k * e) + (k * e * k + k) + (gatedAttn ? k * k + k : 0);
    }
}
