package io.github.mlpzoo.vision.poolformer;

import io.github.mlpzoo.core.zoo.TrainingOnly;

import java.util.Arrays;

/**
 * The configuration of a PoolFormer (sail-sg/poolformer {@code models/poolformer.py}, {@code PoolFormer}).
 *
 * @param layers blocks per stage
 * @param embedDims channels per stage (same length as {@code layers})
 * @param mlpRatio hidden width of the channel MLP as a multiple of the stage's channels (official 4 everywhere)
 * @param poolSize side of the pooling window (official 3)
 * @param layerScaleInit initial value of the layer scales (1e-5 for S12/S24, 1e-6 for the deeper ones)
 * @param dropPath stochastic depth of the last block; block k of n (counted over all stages) gets
 *     {@code dropPath · k / (n - 1)}, as the official {@code basic_blocks} computes it
 * @param inChannels input channels
 * @param numClasses classes of the linear head
 * @param stemKernel kernel side of the stem convolution (official 7)
 * @param stemStride its stride (official 4)
 * @param stemPadding its padding (official 2)
 * @param downKernel kernel side of the downsampling convolutions between stages (official 3)
 * @param downStride their stride (official 2)
 * @param downPadding their padding (official 1)
 * @param dropout dropout inside the channel MLPs (official 0)
 */
public record PoolFormerConfig(
        int[] layers, int[] embedDims, float mlpRatio, int poolSize, @TrainingOnly float layerScaleInit, float dropPath,
        int inChannels, int numClasses, int stemKernel, int stemStride, int stemPadding, int downKernel,
        int downStride, int downPadding, float dropout) {

    public PoolFormerConfig {
        if (layers == null || embedDims == null || layers.length == 0 || layers.length != embedDims.length) {
            throw new IllegalArgumentException("PoolFormerConfig needs layers and embedDims of the same non-zero "
                    + "length; got " + Arrays.toString(layers) + " and " + Arrays.toString(embedDims));
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 1 || embedDims[i] < 1) {
                throw new IllegalArgumentException("PoolFormerConfig layers and embedDims must be >= 1; got "
                        + Arrays.toString(layers) + " and " + Arrays.toString(embedDims));
            }
        }
        layers = layers.clone();
        embedDims = embedDims.clone();
        if (!(mlpRatio > 0f) || poolSize < 1 || poolSize % 2 == 0 || inChannels < 1 || numClasses < 1
                || stemKernel < 1 || stemStride < 1 || stemPadding < 0 || downKernel < 1 || downStride < 1
                || downPadding < 0) {
            throw new IllegalArgumentException("PoolFormerConfig has an invalid size (mlpRatio > 0, odd poolSize, "
                    + "kernels and strides >= 1, paddings >= 0): " + this);
        }
        if (!(dropPath >= 0f && dropPath < 1f) || !(dropout >= 0f && dropout < 1f) || !(layerScaleInit > 0f)) {
            throw new IllegalArgumentException("PoolFormerConfig needs dropPath, dropout in [0, 1) and "
                    + "layerScaleInit > 0: " + this);
        }
    }

    private static PoolFormerConfig official(int[] layers, int[] dims, float layerScaleInit, float dropPath) {
        return new PoolFormerConfig(layers, dims, 4f, 3, layerScaleInit, dropPath, 3, 1000, 7, 4, 2, 3, 2, 1, 0f);
    }

    /** {@code poolformer_s12}: [2,2,6,2] × [64,128,320,512], layer scale 1e-5 (11,915,176 parameters). */
    public static PoolFormerConfig s12() {
        return official(new int[] {2, 2, 6, 2}, new int[] {64, 128, 320, 512}, 1e-5f, 0.1f);
    }

    /** {@code poolformer_s24}: [4,4,12,4] × [64,128,320,512], layer scale 1e-5 (21,388,968 parameters). */
    public static PoolFormerConfig s24() {
        return official(new int[] {4, 4, 12, 4}, new int[] {64, 128, 320, 512}, 1e-5f, 0.1f);
    }

    /** {@code poolformer_s36}: [6,6,18,6] × [64,128,320,512], layer scale 1e-6 (30,862,760 parameters). */
    public static PoolFormerConfig s36() {
        return official(new int[] {6, 6, 18, 6}, new int[] {64, 128, 320, 512}, 1e-6f, 0.2f);
    }

    /** {@code poolformer_m36}: [6,6,18,6] × [96,192,384,768], layer scale 1e-6 (56,172,520 parameters). */
    public static PoolFormerConfig m36() {
        return official(new int[] {6, 6, 18, 6}, new int[] {96, 192, 384, 768}, 1e-6f, 0.3f);
    }

    /** {@code poolformer_m48}: [8,8,24,8] × [96,192,384,768], layer scale 1e-6 (73,473,448 parameters). */
    public static PoolFormerConfig m48() {
        return official(new int[] {8, 8, 24, 8}, new int[] {96, 192, 384, 768}, 1e-6f, 0.4f);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public int[] embedDims() {
        return embedDims.clone();
    }

    /** The total number of blocks. */
    public int totalBlocks() {
        return Arrays.stream(layers).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolFormerConfig c && Arrays.equals(layers, c.layers)
                && Arrays.equals(embedDims, c.embedDims) && mlpRatio == c.mlpRatio && poolSize == c.poolSize
                && layerScaleInit == c.layerScaleInit && dropPath == c.dropPath && inChannels == c.inChannels
                && numClasses == c.numClasses && stemKernel == c.stemKernel && stemStride == c.stemStride
                && stemPadding == c.stemPadding && downKernel == c.downKernel && downStride == c.downStride
                && downPadding == c.downPadding && dropout == c.dropout;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layers) + Arrays.hashCode(embedDims);
    }

    @Override
    public String toString() {
        return "PoolFormerConfig[layers=" + Arrays.toString(layers) + ", embedDims=" + Arrays.toString(embedDims)
                + ", mlpRatio=" + mlpRatio + ", poolSize=" + poolSize + ", layerScaleInit=" + layerScaleInit
                + ", dropPath=" + dropPath + ", inChannels=" + inChannels + ", numClasses=" + numClasses
                + ", stem=" + stemKernel + "/" + stemStride + "/" + stemPadding + ", down=" + downKernel + "/"
                + downStride + "/" + downPadding + ", dropout=" + dropout + "]";
    }
}
