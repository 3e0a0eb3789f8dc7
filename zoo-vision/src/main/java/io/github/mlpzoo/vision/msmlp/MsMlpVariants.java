package io.github.mlpzoo.vision.msmlp;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The MS-MLP variants, registered with the zoo through {@code META-INF/services}: {@code ms_mlp_t},
 * {@code ms_mlp_s}, {@code ms_mlp_b}, as the official {@code configs/msmlp_{tiny,small,base}_patch4_shift5_224.yaml}
 * define them ({@link MsMlpConfig}). Input one float32 image {@code (B, 3, 224, 224)}; output class logits.
 */
public final class MsMlpVariants implements VariantProvider {

    static final String PAPER = "Zheng et al., Mixing and Shifting: Exploiting Global and Local Dependencies in "
            + "Vision MLPs, arXiv 2202.06510";
    static final String REPO = "JegZheng/MS-MLP (models/ms_mlp.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("ms_mlp_t", MsMlpConfig.tiny(), "Tiny: 96 channels, [3,3,9,3], 28.7M params"),
                variant("ms_mlp_s", MsMlpConfig.small(), "Small: 96 channels, [3,3,27,3], 50.3M params"),
                variant("ms_mlp_b", MsMlpConfig.base(), "Base: 128 channels, [3,3,27,3], 88.7M params"));
    }

    private static Variant<MsMlpConfig> variant(String name, MsMlpConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("MS-MLP " + summary + "; fixed input size")
                .setFactory(MsMlp::of)
                .optKeyMap(MsMlp::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .build();
    }
}
