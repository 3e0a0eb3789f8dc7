package io.github.mlpzoo.vision.dsm;

/**
 * The configuration of a {@link Dsm}. The paper's variant table was not available; {@link #small()} is our choice.
 *
 * @param imageSize fixed input side (the spectral filters have the token grid's size)
 * @param inChannels input channels
 * @param patchSize patch side and stride of the stem
 * @param embedDim channels C
 * @param depth DSM blocks
 * @param bands K learned spectral filters mixed per channel by the dynamic weights
 * @param reduction channel reduction r of the weight-generation MLP (hidden C / r)
 * @param mlpRatio hidden width of the channel MLP is mlpRatio · C
 * @param numClasses classes of the head
 * @param dropPath stochastic depth of the last block (linear from 0)
 */
public record DsmConfig(int imageSize, int inChannels, int patchSize, int embedDim, int depth, int bands, int reduction,
        int mlpRatio, int numClasses, float dropPath) {

    public DsmConfig {
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || embedDim < 1 || depth < 1 || bands < 1
                || reduction < 1 || mlpRatio < 1 || numClasses < 1) {
            throw new IllegalArgumentException("DsmConfig sizes must be >= 1; got " + this);
        }
        if (imageSize % patchSize != 0 || embedDim % reduction != 0) {
            throw new IllegalArgumentException("DsmConfig needs imageSize a multiple of patchSize and embedDim of "
                    + "reduction; got " + this);
        }
        if (!(dropPath >= 0 && dropPath < 1)) {
            throw new IllegalArgumentException("DsmConfig dropPath must be in [0, 1); got " + this);
        }
    }

    /** Our small isotropic model for 224×224: patch 16 (14×14 tokens), 384 channels, 12 blocks, 4 bands. */
    public static DsmConfig small() {
        return new DsmConfig(224, 3, 16, 384, 12, 4, 4, 4, 1000, 0.1f);
    }

    /** The token grid side {@code imageSize / patchSize}. */
    public int grid() {
        return imageSize / patchSize;
    }
}
