package io.github.mlpzoo.vision.stripmlp;

import java.util.Arrays;

/**
 * The configuration of a Strip-MLP (Med-Process/Strip_MLP {@code models/strip_mlp.py}, {@code StripMLPNet}).
 *
 * @param imageSize the input side (square); the strip layers are sized for it, so it is fixed
 * @param inChannels input channels
 * @param patchSize side and stride of the stem convolution
 * @param embedDim channels of stage 1; stage s has {@code embedDim · 2^(s-1)}
 * @param layers blocks per stage (four stages, as the official network is wired)
 * @param alpha expansion of the channel MLP (official 3; the official GRN assumes 3)
 * @param numClasses classes of the linear head
 * @param dropPath stochastic depth of every residual branch; the official {@code BasicBlock} hard-codes 0.1 for
 *     every block and ignores the config's {@code DROP_PATH_RATE}
 */
public record StripMlpConfig(
        int imageSize, int inChannels, int patchSize, int embedDim, int[] layers, int alpha, int numClasses,
        float dropPath) {

    public StripMlpConfig {
        if (layers == null || layers.length != 4) {
            throw new IllegalArgumentException("StripMlpConfig needs 4 stage depths (the official network has four "
                    + "stages with cross-stage shortcuts); got " + Arrays.toString(layers));
        }
        layers = layers.clone();
        for (int l : layers) {
            if (l < 1) {
                throw new IllegalArgumentException("StripMlpConfig stage depths must be >= 1; got "
                        + Arrays.toString(layers));
            }
        }
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || embedDim < 1 || alpha < 1 || numClasses < 1) {
            throw new IllegalArgumentException("StripMlpConfig sizes must be >= 1; got " + this);
        }
        if (embedDim % 8 != 0) {
            throw new IllegalArgumentException("StripMlpConfig embedDim must be a multiple of 8 (the strip groups "
                    + "cut half the channels into 2 or 4 equal groups); got " + embedDim);
        }
        if (imageSize / patchSize / 8 < 1) {
            throw new IllegalArgumentException(String.format("StripMlpConfig needs imageSize / patchSize >= 8 so that "
                    + "stage 4 has at least 1x1 tokens; got %d / %d", imageSize, patchSize));
        }
        if (!(dropPath >= 0f && dropPath < 1f)) {
            throw new IllegalArgumentException("StripMlpConfig dropPath must be in [0, 1); got " + dropPath);
        }
    }

    private static StripMlpConfig official(int embedDim, int[] layers) {
        return new StripMlpConfig(224, 3, 4, embedDim, layers, 3, 1000, 0.1f);
    }

    /** Strip-MLP T* ("light tiny"): 80 channels, [2, 2, 6, 2] (18,243,920 parameters). */
    public static StripMlpConfig tinyLight() {
        return official(80, new int[] {2, 2, 6, 2});
    }

    /** Strip-MLP T: 80 channels, [2, 2, 12, 2] (24,903,920 parameters). */
    public static StripMlpConfig tiny() {
        return official(80, new int[] {2, 2, 12, 2});
    }

    /** Strip-MLP S: 96 channels, [2, 2, 18, 2] (42,568,600 parameters). */
    public static StripMlpConfig small() {
        return official(96, new int[] {2, 2, 18, 2});
    }

    /** Strip-MLP B: 112 channels, [2, 2, 18, 2] (57,216,480 parameters). */
    public static StripMlpConfig base() {
        return official(112, new int[] {2, 2, 18, 2});
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** The channels of stage {@code s} (0-based). */
    public int dim(int s) {
        return embedDim << s;
    }

    /** The token grid side of stage {@code s} (0-based), as the strided convolutions floor it. */
    public int side(int s) {
        return (imageSize / patchSize) >> s;
    }

    /**
     * The number of strip groups P at {@code channels} channels, as the official heuristic picks it:
     * 2 if {@code channels % 80 == 0}, else 4 (so T and T* use 2, S and B use 4).
     */
    public static int stripGroups(int channels) {
        return channels % 80 == 0 ? 2 : 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StripMlpConfig c && imageSize == c.imageSize && inChannels == c.inChannels
                && patchSize == c.patchSize && embedDim == c.embedDim && Arrays.equals(layers, c.layers)
                && alpha == c.alpha && numClasses == c.numClasses && dropPath == c.dropPath;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layers) + embedDim;
    }

    @Override
    public String toString() {
        return "StripMlpConfig[imageSize=" + imageSize + ", inChannels=" + inChannels + ", patchSize=" + patchSize
                + ", embedDim=" + embedDim + ", layers=" + Arrays.toString(layers) + ", alpha=" + alpha
                + ", numClasses=" + numClasses + ", dropPath=" + dropPath + "]";
    }
}
