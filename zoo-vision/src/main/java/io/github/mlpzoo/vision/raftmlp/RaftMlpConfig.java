package io.github.mlpzoo.vision.raftmlp;

import java.util.Arrays;

/**
 * The configuration of a RaftMLP (okojoalg/raft-mlp {@code libs/models.py}, {@code RaftMLP} with
 * {@code token_mixing_type: ser_pm}, {@code embedding_type: emb_cross_mlp}, {@code shortcut: False}; the variants
 * as {@code configs/settings/imagenet-raft-mlp-cross-mlp-emb-{s,m,l}.yaml}). One entry per level in each array.
 *
 * @param imageSize the image side the token MLPs are sized for (official {@code pretrained_image_size} 224); other
 *     input sizes are resized by bicubic interpolation inside the model
 * @param inChannels input channels
 * @param depths blocks per level
 * @param dims channels per level
 * @param patchSizes patch side (embedding stride) per level
 * @param raftSizes raft size r per level (each level's channels must be a multiple)
 * @param crossScales number of cross-scale embedding kernels per level: level i uses kernels
 *     {@code p_i · 2^j, j < crossScales[i]} (official [4, 8], [2, 4], [2, 4], [2], i.e. 2, 2, 2, 1)
 * @param tokenExpansion hidden width of the raft token MLPs as a multiple of their length (official 2)
 * @param channelExpansion hidden width of the channel MLPs as a multiple of the channels (official 4)
 * @param dropout dropout inside every MLP (official 0)
 * @param dropPath stochastic depth, the same in every residual branch (official 0.1)
 * @param numClasses classes of the linear head
 */
public record RaftMlpConfig(
        int imageSize, int inChannels, int[] depths, int[] dims, int[] patchSizes, int[] raftSizes,
        int[] crossScales, int tokenExpansion, int channelExpansion, float dropout, float dropPath, int numClasses) {

    public RaftMlpConfig {
        int n = depths == null ? 0 : depths.length;
        if (n == 0 || dims == null || dims.length != n || patchSizes == null || patchSizes.length != n
                || raftSizes == null || raftSizes.length != n || crossScales == null || crossScales.length != n) {
            throw new IllegalArgumentException("RaftMlpConfig needs depths, dims, patchSizes, raftSizes and "
                    + "crossScales of the same non-zero length; got " + Arrays.toString(depths) + ", "
                    + Arrays.toString(dims) + ", " + Arrays.toString(patchSizes) + ", " + Arrays.toString(raftSizes)
                    + ", " + Arrays.toString(crossScales));
        }
        depths = depths.clone();
        dims = dims.clone();
        patchSizes = patchSizes.clone();
        raftSizes = raftSizes.clone();
        crossScales = crossScales.clone();
        for (int i = 0; i < n; i++) {
            if (depths[i] < 1 || dims[i] < 1 || patchSizes[i] < 1 || raftSizes[i] < 1 || crossScales[i] < 1
                    || dims[i] % raftSizes[i] != 0) {
                throw new IllegalArgumentException(String.format("RaftMlpConfig level %d needs depth, dim, patch, "
                        + "raft, crossScales >= 1 and dim a multiple of raft; got %d, %d, %d, %d, %d", i, depths[i],
                        dims[i], patchSizes[i], raftSizes[i], crossScales[i]));
            }
            if (crossScales[i] > 1 && patchSizes[i] % 2 != 0) {
                throw new IllegalArgumentException(String.format("RaftMlpConfig level %d: cross-scale kernels "
                        + "need an even patch size (padding (k - p) / 2); got %d", i, patchSizes[i]));
            }
        }
        if (imageSize < 1 || inChannels < 1 || tokenExpansion < 1 || channelExpansion < 1 || numClasses < 1
                || !(dropout >= 0f && dropout < 1f) || !(dropPath >= 0f && dropPath < 1f)) {
            throw new IllegalArgumentException("RaftMlpConfig has an invalid size or rate: imageSize=" + imageSize
                    + ", inChannels=" + inChannels + ", expansions " + tokenExpansion + "/" + channelExpansion
                    + ", numClasses=" + numClasses + ", dropout=" + dropout + ", dropPath=" + dropPath);
        }
    }

    private static RaftMlpConfig official(int[] dims) {
        return new RaftMlpConfig(224, 3, new int[] {2, 2, 6, 2}, dims, new int[] {4, 2, 2, 2},
                new int[] {2, 2, 2, 2}, new int[] {2, 2, 2, 1}, 2, 4, 0f, 0.1f, 1000);
    }

    /** RaftMLP-S: [64, 128, 256, 512] (9,868,768 parameters). */
    public static RaftMlpConfig small() {
        return official(new int[] {64, 128, 256, 512});
    }

    /** RaftMLP-M: [96, 192, 384, 768] (21,413,632 parameters). */
    public static RaftMlpConfig medium() {
        return official(new int[] {96, 192, 384, 768});
    }

    /** RaftMLP-L: [128, 192, 512, 1024] (36,184,672 parameters; level 2 has 192 channels, as the config says). */
    public static RaftMlpConfig large() {
        return official(new int[] {128, 192, 512, 1024});
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public int[] patchSizes() {
        return patchSizes.clone();
    }

    @Override
    public int[] raftSizes() {
        return raftSizes.clone();
    }

    @Override
    public int[] crossScales() {
        return crossScales.clone();
    }

    /** The number of levels. */
    public int levels() {
        return depths.length;
    }

    /** The token grid side level {@code i} is sized for: {@code ceil} of the image side over the patch sizes. */
    public int grid(int i) {
        int side = imageSize;
        for (int l = 0; l <= i; l++) {
            side = (side + patchSizes[l] - 1) / patchSizes[l];
        }
        return side;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RaftMlpConfig c && imageSize == c.imageSize && inChannels == c.inChannels
                && Arrays.equals(depths, c.depths) && Arrays.equals(dims, c.dims)
                && Arrays.equals(patchSizes, c.patchSizes) && Arrays.equals(raftSizes, c.raftSizes)
                && Arrays.equals(crossScales, c.crossScales) && tokenExpansion == c.tokenExpansion
                && channelExpansion == c.channelExpansion && dropout == c.dropout && dropPath == c.dropPath
                && numClasses == c.numClasses;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(depths) + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "RaftMlpConfig[imageSize=" + imageSize + ", inChannels=" + inChannels + ", depths="
                + Arrays.toString(depths) + ", dims=" + Arrays.toString(dims) + ", patchSizes="
                + Arrays.toString(patchSizes) + ", raftSizes=" + Arrays.toString(raftSizes) + ", crossScales="
                + Arrays.toString(crossScales) + ", tokenExpansion=" + tokenExpansion + ", channelExpansion="
                + channelExpansion + ", dropout=" + dropout + ", dropPath=" + dropPath + ", numClasses="
                + numClasses + "]";
    }
}
