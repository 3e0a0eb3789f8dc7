package io.github.mlpzoo.vision.msmlp;

import io.github.mlpzoo.core.nn.tokenmix.MixShift;
import io.github.mlpzoo.core.zoo.TrainingOnly;

import java.util.Arrays;

/**
 * The configuration of an MS-MLP (JegZheng/MS-MLP {@code models/ms_mlp.py}, {@code MS_MLP}; the variants as
 * {@code configs/msmlp_*_patch4_shift5_224.yaml}).
 *
 * @param imageSize the input side (square; the official patch embedding asserts it)
 * @param inChannels input channels
 * @param patchSize side and stride of the stem convolution
 * @param embedDim channels of stage 1; stage s has {@code embedDim · 2^(s-1)}
 * @param depths blocks per stage
 * @param shiftDist the shift of each channel group (official {@code SHIFT_DIST} [-2,-1,0,1,2]; its length is the
 *     number of groups, {@code SHIFT_SIZE})
 * @param mixSize the depthwise mixing size of each group of each stage, stage after stage
 *     ({@code depths.length × shiftDist.length} odd values; official {@code MIX_SIZE}
 *     [[1,1,3,5,7],[1,3,3,5,7],[1,5,5,5,7],[1,7,7,7,7]] flattened)
 * @param mlpRatio hidden width of the channel MLP as a multiple of the channels (official 4)
 * @param layerScaleInit initial layer scale (official 1e-6)
 * @param dropPath stochastic depth of the last block, rising linearly from 0 over all blocks (official
 *     {@code DROP_PATH_RATE}: 0.1 / 0.4 / 0.5 for T / S / B)
 * @param numClasses classes of the linear head
 */
public record MsMlpConfig(
        int imageSize, int inChannels, int patchSize, int embedDim, int[] depths, int[] shiftDist, int[] mixSize,
        float mlpRatio, @TrainingOnly float layerScaleInit, float dropPath, int numClasses) {

    /** The official mixing sizes of the T, S and B configs, flattened. */
    static final int[] OFFICIAL_MIX = {1, 1, 3, 5, 7, 1, 3, 3, 5, 7, 1, 5, 5, 5, 7, 1, 7, 7, 7, 7};

    public MsMlpConfig {
        if (depths == null || shiftDist == null || mixSize == null || depths.length == 0 || shiftDist.length == 0
                || mixSize.length != depths.length * shiftDist.length) {
            throw new IllegalArgumentException("MsMlpConfig needs depths, shiftDist and depths.length x "
                    + "shiftDist.length mixSize values; got " + Arrays.toString(depths) + ", "
                    + Arrays.toString(shiftDist) + ", " + Arrays.toString(mixSize));
        }
        depths = depths.clone();
        shiftDist = shiftDist.clone();
        mixSize = mixSize.clone();
        for (int d : depths) {
            if (d < 1) {
                throw new IllegalArgumentException("MsMlpConfig depths must be >= 1; got " + Arrays.toString(depths));
            }
        }
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || embedDim < 1 || numClasses < 1
                || !(mlpRatio > 0f) || !(layerScaleInit > 0f) || !(dropPath >= 0f && dropPath < 1f)) {
            throw new IllegalArgumentException("MsMlpConfig has an invalid size or rate: " + toString(depths,
                    shiftDist, mixSize, imageSize, patchSize, embedDim, dropPath));
        }
        if ((imageSize / patchSize) >> (depths.length - 1) < 1) {
            throw new IllegalArgumentException(String.format("MsMlpConfig: imageSize / patchSize = %d / %d leaves no "
                    + "token for stage %d", imageSize, patchSize, depths.length));
        }
        for (int s = 0; s < depths.length; s++) {
            MixShift.chunkSizes(embedDim << s, shiftDist.length); // torch.chunk must give every group
        }
    }

    private static MsMlpConfig official(int embedDim, int[] depths, float dropPath) {
        return new MsMlpConfig(224, 3, 4, embedDim, depths, new int[] {-2, -1, 0, 1, 2}, OFFICIAL_MIX, 4f, 1e-6f,
                dropPath, 1000);
    }

    /** MS-MLP Tiny: 96 channels, [3, 3, 9, 3], drop path 0.1 (28,656,232 parameters). */
    public static MsMlpConfig tiny() {
        return official(96, new int[] {3, 3, 9, 3}, 0.1f);
    }

    /** MS-MLP Small: 96 channels, [3, 3, 27, 3], drop path 0.4 (50,303,752 parameters). */
    public static MsMlpConfig small() {
        return official(96, new int[] {3, 3, 27, 3}, 0.4f);
    }

    /** MS-MLP Base: 128 channels, [3, 3, 27, 3], drop path 0.5 (88,696,792 parameters). */
    public static MsMlpConfig base() {
        return official(128, new int[] {3, 3, 27, 3}, 0.5f);
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public int[] shiftDist() {
        return shiftDist.clone();
    }

    @Override
    public int[] mixSize() {
        return mixSize.clone();
    }

    /** The mixing sizes of stage {@code s} (0-based). */
    public int[] mixSize(int s) {
        return Arrays.copyOfRange(mixSize, s * shiftDist.length, (s + 1) * shiftDist.length);
    }

    /** The channels of stage {@code s} (0-based). */
    public int dim(int s) {
        return embedDim << s;
    }

    /** The token grid side of stage {@code s} (0-based), as the strided convolutions floor it. */
    public int side(int s) {
        return (imageSize / patchSize) >> s;
    }

    /** The total number of blocks. */
    public int totalBlocks() {
        return Arrays.stream(depths).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MsMlpConfig c && imageSize == c.imageSize && inChannels == c.inChannels
                && patchSize == c.patchSize && embedDim == c.embedDim && Arrays.equals(depths, c.depths)
                && Arrays.equals(shiftDist, c.shiftDist) && Arrays.equals(mixSize, c.mixSize)
                && mlpRatio == c.mlpRatio && layerScaleInit == c.layerScaleInit && dropPath == c.dropPath
                && numClasses == c.numClasses;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(depths) + embedDim;
    }

    @Override
    public String toString() {
        return toString(depths, shiftDist, mixSize, imageSize, patchSize, embedDim, dropPath) + ", mlpRatio="
                + mlpRatio + ", layerScaleInit=" + layerScaleInit + ", inChannels=" + inChannels + ", numClasses="
                + numClasses + "]";
    }

    private static String toString(int[] depths, int[] shiftDist, int[] mixSize, int imageSize, int patchSize,
            int embedDim, float dropPath) {
        return "MsMlpConfig[imageSize=" + imageSize + ", patchSize=" + patchSize + ", embedDim=" + embedDim
                + ", depths=" + Arrays.toString(depths) + ", shiftDist=" + Arrays.toString(shiftDist) + ", mixSize="
                + Arrays.toString(mixSize) + ", dropPath=" + dropPath;
    }
}
