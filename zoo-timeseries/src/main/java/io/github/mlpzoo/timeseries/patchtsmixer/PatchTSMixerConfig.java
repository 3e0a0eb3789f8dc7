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
 * @param selfAttention multi-head self-attention over the patches inside every patch mixer [self_attn]
 * @param selfAttentionHeads its heads, dividing d [self_attn_heads]
 * @param positionalEncoding NONE, RANDOM (learned, N(0, 1) init) or SINCOS (fixed) added after the patcher
 *     [use_positional_encoding, positional_encoding_type]
 */
public record PatchTSMixerConfig(
        int contextLength, int patchLength, int patchStride, int channels, int dModel, int expansion, int layers,
        float dropout, float headDropout, Mode mode, boolean gatedAttn, AxisMixerBlock.Norm norm,
        SeriesScaler scaling, int predictionLength, int reconcileContext, boolean hierarchical,
        boolean selfAttention, int selfAttentionHeads, PositionalEncoding positionalEncoding) {

    /** How channels are treated. */
    public enum Mode {
        /** Channels share all weights and never mix (HF {@code common_channel}). */
        COMMON_CHANNEL,
        /** A channel mixer before each patch mixer (HF {@code mix_channel}). */
        MIX_CHANNEL
    }

    /** HF's {@code use_positional_encoding} and {@code positional_encoding_type}. */
    public enum PositionalEncoding {
        /** No positional encoding (HF's default, {@code use_positional_encoding=False}). */
        NONE,
        /** A learned (N, d) table, initialized N(0, 1) as HF's {@code torch.randn}. */
        RANDOM,
        /** HF's fixed sine/cosine table, centred and scaled to standard deviation 0.1; needs an even d. */
        SINCOS
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
        if (mode == null || norm == null || scaling == null || positionalEncoding == null) {
            throw new IllegalArgumentException("mode, norm, scaling and positionalEncoding must be set; got " + mode
                    + ", " + norm + ", " + scaling + ", " + positionalEncoding);
        }
        if (selfAttention && (selfAttentionHeads < 1 || dModel % selfAttentionHeads != 0)) {
            throw new IllegalArgumentException("selfAttentionHeads must be >= 1 and divide dModel " + dModel + "; got "
                    + selfAttentionHeads);
        }
        if (positionalEncoding == PositionalEncoding.SINCOS && dModel % 2 != 0) {
            throw new IllegalArgumentException("the SINCOS positional encoding needs an even dModel; got " + dModel);
        }
    }

    /** The model with the reconciliation heads as given, no self-attention, no positional encoding. */
    public PatchTSMixerConfig(int contextLength, int patchLength, int patchStride, int channels, int dModel,
            int expansion, int layers, float dropout, float headDropout, Mode mode, boolean gatedAttn,
            AxisMixerBlock.Norm norm, SeriesScaler scaling, int predictionLength, int reconcileContext,
            boolean hierarchical) {
        this(contextLength, patchLength, patchStride, channels, dModel, expansion, layers, dropout, headDropout, mode,
                gatedAttn, norm, scaling, predictionLength, reconcileContext, hierarchical, false, 1,
                PositionalEncoding.NONE);
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
                dropout, headDropout, mode, gatedAttn, norm, scaling, predictionLength, context, hierarchicalHead,
                selfAttention, selfAttentionHeads, positionalEncoding);
    }

    /** This config with HF's self-attention and positional encoding set as given. */
    public PatchTSMixerConfig withAttention(boolean attention, int heads, PositionalEncoding positions) {
        return new PatchTSMixerConfig(contextLength, patchLength, patchStride, channels, dModel, expansion, layers,
                dropout, headDropout, mode, gatedAttn, norm, scaling, predictionLength, reconcileContext, hierarchical,
                attention, heads, positions);
    }

    /** This config with {@code channels} input channels. */
    public PatchTSMixerConfig withChannels(int c) {
        return new PatchTSMixerConfig(contextLength, patchLength, patchStride, c, dModel, expansion, layers,
                dropout, headDropout, mode, gatedAttn, norm, scaling, predictionLength, reconcileContext, hierarchical,
                selfAttention, selfAttentionHeads, positionalEncoding);
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

    /**
     * The number of trainable parameters, counted from HF's module structure (plus the reconciliation heads). HF's
     * {@code sum(p.numel())} also counts the fixed SINCOS table ({@code requires_grad=False}), N·d more.
     */
    public long parameterCount() {
        return encoderParameterCount() + numPatches() * dModel * predictionLength + predictionLength
                + CrossChannelReconciliation.parameterCount(reconcileContext, channels)
                + (hierarchical ? HierarchicalReconciliation.parameterCount((long) numPatches() * dModel,
                        predictionLength, patchLength) : 0);
    }

    /** The trainable parameters of HF's {@code PatchTSMixerModel} (patcher, positions, mixer layers), no head. */
    public long encoderParameterCount() {
        long n = numPatches();
        long d = dModel;
        long e = expansion;
        long patcher = patchLength * d + d;
        long perLayer = mixer(n, d, e) + mixer(d, d, e) + (mode == Mode.MIX_CHANNEL ? mixer(channels, d, e) : 0)
                + (selfAttention ? 4 * (d * d + d) + 2 * d : 0);                 // q, k, v, out + norm_attn
        long positions = positionalEncoding == PositionalEncoding.RANDOM ? n * d : 0;
        return patcher + positions + layers * perLayer;
    }

    /** One mixer over an axis of size k on features of size d: norm 2d, MLP k→k·e→k, gate k×k. */
    private long mixer(long k, long d, long e) {
        return 2 * d + (k * k * e + k * e) + (k * e * k + k) + (gatedAttn ? k * k + k : 0);
    }
}
