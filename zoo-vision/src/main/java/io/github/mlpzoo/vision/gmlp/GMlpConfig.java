package io.github.mlpzoo.vision.gmlp;

/**
 * The configuration of a gMLP (timm {@code mlp_mixer.py}, {@code MlpMixer} with {@code SpatialGatingBlock} and
 * {@code GatedMlp}).
 *
 * @param imageSize the fixed input side (strict in timm); a multiple of {@code patchSize}
 * @param inChannels input channels
 * @param patchSize patch side and stride of the stem convolution
 * @param numBlocks number of gMLP blocks (L)
 * @param embedDim d_model
 * @param ffnWidth d_ffn, the width of the first projection (timm {@code mlp_ratio * d_model}); even, as the spatial
 *     gating unit splits it in half
 * @param numClasses classes of the linear head
 * @param dropPath stochastic depth rate, the same for every block (timm; the paper's survival probabilities
 *     1.00/0.95/0.80 fall linearly with depth, timm's code does not)
 * @param dropout dropout inside the gated MLP
 */
public record GMlpConfig(
        int imageSize, int inChannels, int patchSize, int numBlocks, int embedDim, int ffnWidth, int numClasses,
        float dropPath, float dropout) {

    public GMlpConfig {
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || numBlocks < 1 || embedDim < 1 || ffnWidth < 2
                || numClasses < 1) {
            throw new IllegalArgumentException("GMlpConfig sizes must be >= 1 (ffnWidth >= 2); got " + this);
        }
        if (imageSize % patchSize != 0 || ffnWidth % 2 != 0) {
            throw new IllegalArgumentException("GMlpConfig needs imageSize a multiple of patchSize and an even "
                    + "ffnWidth; got imageSize=" + imageSize + ", patchSize=" + patchSize + ", ffnWidth=" + ffnWidth);
        }
        if (!(dropPath >= 0f && dropPath < 1f) || !(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("GMlpConfig dropPath and dropout must be in [0, 1); got " + this);
        }
    }

    /** timm {@code gmlp_ti16_224}: 30 blocks, d_model 128, d_ffn 768 (5,867,328 parameters). */
    public static GMlpConfig ti16() {
        return new GMlpConfig(224, 3, 16, 30, 128, 768, 1000, 0f, 0f);
    }

    /** timm {@code gmlp_s16_224}: 30 blocks, d_model 256, d_ffn 1536 (19,422,656 parameters). */
    public static GMlpConfig s16() {
        return new GMlpConfig(224, 3, 16, 30, 256, 1536, 1000, 0f, 0f);
    }

    /** timm {@code gmlp_b16_224}: 30 blocks, d_model 512, d_ffn 3072 (73,075,392 parameters). */
    public static GMlpConfig b16() {
        return new GMlpConfig(224, 3, 16, 30, 512, 3072, 1000, 0f, 0f);
    }

    /** The number of tokens, {@code (imageSize / patchSize)²}. */
    public int tokens() {
        int side = imageSize / patchSize;
        return side * side;
    }
}
