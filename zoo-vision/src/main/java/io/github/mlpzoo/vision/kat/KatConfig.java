package io.github.mlpzoo.vision.kat;

import io.github.mlpzoo.core.nn.kan.GroupRational;
import io.github.mlpzoo.core.zoo.TrainingOnly;

/**
 * The configuration of a {@link Kat} ({@code katransformer.py}, {@code KATVisionTransformer} with
 * {@code mlp_layer=KAN}, class token, learned position embedding, {@code global_pool='token'}, LayerNorm eps 1e-6).
 *
 * @param imageSize fixed input side (the position embedding has {@code (imageSize/patchSize)² + 1} rows)
 * @param inChannels input channels
 * @param patchSize patch side and stride of the stem convolution
 * @param embedDim channels C
 * @param depth transformer blocks
 * @param numHeads attention heads (C must be a multiple)
 * @param mlpHidden hidden width of the GR-KAN layers (official {@code int(C · mlp_ratio)}, mlp_ratio 4)
 * @param groups rational groups per activation (official 8)
 * @param actInit the init of the second rational (the released models: {@code SWISH})
 * @param numClasses classes of the head
 * @param dropPath stochastic-depth rate of the last block (linear from 0 over the blocks, as timm)
 * @param dropout dropout of the attention projection and the GR-KAN layers (official {@code proj_drop_rate})
 */
public record KatConfig(
        int imageSize, int inChannels, int patchSize, int embedDim, int depth, int numHeads, int mlpHidden, int groups,
        @TrainingOnly GroupRational.Init actInit, int numClasses, float dropPath, float dropout) {

    public KatConfig {
        if (imageSize < 1 || inChannels < 1 || patchSize < 1 || embedDim < 1 || depth < 1 || numHeads < 1
                || mlpHidden < 1 || groups < 1 || numClasses < 1 || actInit == null) {
            throw new IllegalArgumentException("KatConfig sizes must be >= 1 and actInit set; got " + this);
        }
        if (imageSize % patchSize != 0 || embedDim % numHeads != 0 || embedDim % groups != 0
                || mlpHidden % groups != 0) {
            throw new IllegalArgumentException("KatConfig needs imageSize a multiple of patchSize, embedDim of numHeads"
                    + " and of groups, mlpHidden of groups; got " + this);
        }
        if (!(dropPath >= 0 && dropPath < 1) || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("KatConfig dropPath and dropout must be in [0, 1); got " + this);
        }
    }

    private static KatConfig vit(int dim, int heads, float dropPath) {
        return new KatConfig(224, 3, 16, dim, 12, heads, 4 * dim, 8, GroupRational.Init.SWISH, 1000, dropPath, 0f);
    }

    /** {@code kat_tiny_swish_patch16_224}: ViT-Ti/16 with GR-KAN, 5,718,328 parameters (drop path 0.1 in training). */
    public static KatConfig tiny() {
        return vit(192, 3, 0.1f);
    }

    /** {@code kat_small_swish_patch16_224}: ViT-S/16 with GR-KAN, 22,051,576 parameters. */
    public static KatConfig small() {
        return vit(384, 6, 0.1f);
    }

    /** {@code kat_base_swish_patch16_224}: ViT-B/16 with GR-KAN, 86,568,568 parameters (drop path 0.4). */
    public static KatConfig base() {
        return vit(768, 12, 0.4f);
    }

    /** Patch tokens {@code (imageSize / patchSize)²} (the class token not included). */
    public int patches() {
        int side = imageSize / patchSize;
        return side * side;
    }
}
