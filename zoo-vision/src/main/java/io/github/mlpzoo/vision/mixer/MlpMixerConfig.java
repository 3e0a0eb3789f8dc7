package io.github.mlpzoo.vision.mixer;

/**
 * The configuration of an MLP-Mixer (timm {@code mlp_mixer.py}, {@code MlpMixer} with {@code MixerBlock}).
 *
 * @param imageSize the fixed input side (timm: {@code img_size}, strict); a multiple of {@code patchSize}
 * @param inChannels input channels
 * @param patchSize patch side and stride of the stem convolution
 * @param numBlocks number of Mixer blocks
 * @param embedDim channels C of every token
 * @param tokenHidden hidden width of the token-mixing MLP (timm: {@code int(mlp_ratio[0] * C)})
 * @param channelHidden hidden width of the channel-mixing MLP (timm: {@code int(mlp_ratio[1] * C)})
 * @param numClasses classes of the linear head
 * @param dropPath stochastic depth rate, the same for every block (timm's Mixer does not scale it by depth)
 * @param dropout dropout inside the MLPs (timm {@code proj_drop_rate})
 */
public record MlpMixerConfig(
        int imageSize, int inChannels, int patchSize, int numBlocks, int embedDim, int tokenHidden,
        int channelHidden, int numClasses, float dropPath, float dropout) {

    public MlpMixerConfig {
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || numBlocks < 1 || embedDim < 1 || tokenHidden < 1
                || channelHidden < 1 || numClasses < 1) {
            throw new IllegalArgumentException("MlpMixerConfig sizes must be >= 1; got " + this);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "MlpMixerConfig imageSize " + imageSize + " must be a multiple of patchSize " + patchSize);
        }
        if (!(dropPath >= 0f && dropPath < 1f) || !(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("MlpMixerConfig dropPath and dropout must be in [0, 1); got " + this);
        }
    }

    /** timm {@code mixer_s16_224}: 8 blocks of 512, token MLP 256, channel MLP 2048 (18,528,264 parameters). */
    public static MlpMixerConfig s16() {
        return new MlpMixerConfig(224, 3, 16, 8, 512, 256, 2048, 1000, 0f, 0f);
    }

    /** timm {@code mixer_b16_224}: 12 blocks of 768, token MLP 384, channel MLP 3072 (59,880,472 parameters). */
    public static MlpMixerConfig b16() {
        return new MlpMixerConfig(224, 3, 16, 12, 768, 384, 3072, 1000, 0f, 0f);
    }

    /** timm {@code mixer_l16_224}: 24 blocks of 1024, token MLP 512, channel MLP 4096 (208,196,168 parameters). */
    public static MlpMixerConfig l16() {
        return new MlpMixerConfig(224, 3, 16, 24, 1024, 512, 4096, 1000, 0f, 0f);
    }

    /** The number of tokens, {@code (imageSize / patchSize)²}. */
    public int tokens() {
        int side = imageSize / patchSize;
        return side * side;
    }
}
