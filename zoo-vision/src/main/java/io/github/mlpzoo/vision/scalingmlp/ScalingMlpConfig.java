package io.github.mlpzoo.vision.scalingmlp;

/**
 * The configuration of a {@link ScalingMlp} ({@code models/networks.py}, {@code BottleneckMLP} with
 * {@code norm='layer'}; named {@code B_{blocks}-Wi_{width}} in the paper and repository).
 *
 * @param imageSize input side (the repository's models run at 64)
 * @param inChannels input channels
 * @param blocks number of bottleneck blocks L
 * @param width the thin width W
 * @param expansion the wide width is {@code expansion · W} (official 4; the builder's {@code Ex_E})
 * @param numClasses outputs (ImageNet-21k pre-training: 11,230)
 * @param matryoshka our option, not the official model's: 0 for the official linear head; g &gt; 0 replaces it by a
 *     {@link io.github.mlpzoo.core.nn.heads.MatryoshkaHead} with g nested widths {@code W/2^(g-1), ..., W/2, W}
 *     ({@link #nesting()}), so the model returns g logits arrays, coarsest first
 */
public record ScalingMlpConfig(
        int imageSize, int inChannels, int blocks, int width, int expansion, int numClasses, int matryoshka) {

    public ScalingMlpConfig {
        if (imageSize < 1 || inChannels < 1 || blocks < 1 || width < 1 || expansion < 1 || numClasses < 1) {
            throw new IllegalArgumentException("ScalingMlpConfig sizes must be >= 1; got " + this);
        }
        if (matryoshka < 0 || matryoshka > 0 && (matryoshka > 31 || width % (1 << (matryoshka - 1)) != 0)) {
            throw new IllegalArgumentException("ScalingMlpConfig matryoshka must be 0 (linear head) or g >= 1 with "
                    + "width a multiple of 2^(g-1); got " + this);
        }
    }

    private static ScalingMlpConfig of(int blocks, int width) {
        return new ScalingMlpConfig(64, 3, blocks, width, 4, 11230, 0);
    }

    /** {@code B_6-Wi_512} at 64×64 with the ImageNet-21k head: 24,657,374 parameters (README: 24M). */
    public static ScalingMlpConfig b6Wi512() {
        return of(6, 512);
    }

    /** {@code B_12-Wi_512}: 37,261,790 parameters (README: 37M). */
    public static ScalingMlpConfig b12Wi512() {
        return of(12, 512);
    }

    /** {@code B_6-Wi_1024}: 74,469,342 parameters (README: 74M). */
    public static ScalingMlpConfig b6Wi1024() {
        return of(6, 1024);
    }

    /** {@code B_12-Wi_1024}: 124,843,998 parameters (README: 124M). */
    public static ScalingMlpConfig b12Wi1024() {
        return of(12, 1024);
    }

    /** The flattened input size {@code inChannels · imageSize²}. */
    public int dimIn() {
        return inChannels * imageSize * imageSize;
    }

    /** The nested widths {@code W/2^(g-1), ..., W} of the Matryoshka head (empty for the linear head). */
    public int[] nesting() {
        int[] n = new int[matryoshka];
        for (int i = 0; i < matryoshka; i++) {
            n[i] = width >> (matryoshka - 1 - i);
        }
        return n;
    }
}
