package io.github.mlpzoo.vision.activator;

/**
 * The configuration of an {@link Activator} (official {@code train.py}, {@code ACTIVATORImageClassification}).
 *
 * @param imageSize input side (any multiple of patchSize works; the model has no size-bound weights)
 * @param inChannels input channels
 * @param patchSize patch side and stride of the patch convolution
 * @param dModel token width d
 * @param dFfn hidden width of the gating unit and of the FFN
 * @param numLayers Activator blocks
 * @param dropout dropout inside the FFN (official 0.5)
 * @param ffn whether each block has its FFN half ({@code activator.py}); false is {@code activator_only_GEGLU.py}
 * @param numClasses classes of the head
 */
public record ActivatorConfig(
        int imageSize, int inChannels, int patchSize, int dModel, int dFfn, int numLayers, float dropout, boolean ffn,
        int numClasses) {

    public ActivatorConfig {
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || dModel < 1 || dFfn < 1 || numLayers < 1
                || numClasses < 1) {
            throw new IllegalArgumentException("ActivatorConfig sizes must be >= 1; got " + this);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("ActivatorConfig imageSize must be a multiple of patchSize; got " + this);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("ActivatorConfig dropout must be in [0, 1); got " + this);
        }
    }

    /** The repository's CIFAR-10 model: 32×32, patch 4, d 256, FFN 512, 4 layers, dropout 0.5 (2,650,890 params). */
    public static ActivatorConfig cifar10() {
        return new ActivatorConfig(32, 3, 4, 256, 512, 4, 0.5f, true, 10);
    }

    /** {@code activator_only_GEGLU.py}: the same without the FFN halves (1,599,242 params). */
    public static ActivatorConfig cifar10GatingOnly() {
        return new ActivatorConfig(32, 3, 4, 256, 512, 4, 0.5f, false, 10);
    }
}
