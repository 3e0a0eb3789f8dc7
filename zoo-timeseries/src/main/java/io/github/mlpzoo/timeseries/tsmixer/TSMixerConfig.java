package io.github.mlpzoo.timeseries.tsmixer;

/**
 * The configuration of Google's {@link TSMixer}, with the official {@code run.py} flag names in brackets
 * ({@code google-research} {@code tsmixer/tsmixer_basic}).
 *
 * @param contextLength L, input time steps [seq_len]
 * @param channels C, input channels (all of them are forecast; the official {@code target_slice} is not taken)
 * @param predictionLength H, forecast steps [pred_len]
 * @param blocks mixing blocks [n_block]
 * @param ffDim hidden size of the feature MLP [ff_dim]
 * @param dropout dropout after every dense layer of a block [dropout]
 * @param norm BATCH (Keras {@code BatchNormalization(axis=[-2, -1])}) or LAYER ({@code LayerNormalization}) [norm_type]
 * @param revIn wrap the model in RevIN (the official {@code tsmixer_rev_in} model) or not ({@code tsmixer})
 */
public record TSMixerConfig(
        int contextLength, int channels, int predictionLength, int blocks, int ffDim, float dropout, Norm norm,
        boolean revIn) {

    /** The normalization inside each block, over the (L, C) plane. */
    public enum Norm {
        /** Statistics over the batch, one (γ, β) per time step and channel (Keras' default norm_type 'B'). */
        BATCH,
        /** Statistics over time and channels of each window, γ and β of shape (L, C) (norm_type 'L'). */
        LAYER
    }

    public TSMixerConfig {
        positive("contextLength", contextLength);
        positive("channels", channels);
        positive("predictionLength", predictionLength);
        positive("blocks", blocks);
        positive("ffDim", ffDim);
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        if (norm == null) {
            throw new IllegalArgumentException("norm must be BATCH or LAYER; got null");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1; got " + v);
        }
    }

    /**
     * The official {@code run.py} defaults with RevIN ({@code --model tsmixer_rev_in}): seq_len 336, pred_len 96,
     * n_block 2, ff_dim 2048, dropout 0.05, norm_type B, ReLU, for ETT's 7 channels.
     */
    public static TSMixerConfig runDefaults() {
        return new TSMixerConfig(336, 7, 96, 2, 2048, 0.05f, Norm.BATCH, true);
    }

    /**
     * {@link #runDefaults()} at context 512, the context of the ETTh1 comparison with PatchTSMixer. The official
     * tuned ETTh1 hyper-parameters were not found ({@code run_tuned_hparam.sh} lists ETTm2, Weather, Electricity and
     * Traffic), so the run defaults are kept.
     */
    public static TSMixerConfig etth1() {
        return new TSMixerConfig(512, 7, 96, 2, 2048, 0.05f, Norm.BATCH, true);
    }

    /** The number of trainable parameters (Keras' count: BatchNorm's moving statistics are not trainable). */
    public long parameterCount() {
        long l = contextLength;
        long c = channels;
        long norms = 2 * (2 * l * c);                                   // γ, β of shape (L, C), twice
        long block = norms + (l * l + l) + (c * ffDim + ffDim) + ((long) ffDim * c + c);
        return blocks * block + (l * predictionLength + predictionLength) + (revIn ? 2 * c : 0);
    }
}
