package io.github.mlpzoo.vision.stripmlp;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The Strip-MLP variants, registered with the zoo through {@code META-INF/services}: {@code strip_mlp_t_light}
 * (the paper's T*), {@code strip_mlp_t}, {@code strip_mlp_s}, {@code strip_mlp_b}, as the official
 * {@code configs/smlp_*_alpha3_patch4_224_*.yaml} define them ({@link StripMlpConfig}). Input one float32 image
 * {@code (B, 3, 224, 224)}; output class logits.
 */
public final class StripMlpVariants implements VariantProvider {

    static final String PAPER = "Cao et al., Strip-MLP: Efficient Token Interaction for Vision MLP, ICCV 2023";
    static final String REPO = "Med-Process/Strip_MLP (models/strip_mlp.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("strip_mlp_t_light", StripMlpConfig.tinyLight(), "T*: 80 channels, [2,2,6,2], 18.2M params"),
                variant("strip_mlp_t", StripMlpConfig.tiny(), "T: 80 channels, [2,2,12,2], 24.9M params"),
                variant("strip_mlp_s", StripMlpConfig.small(), "S: 96 channels, [2,2,18,2], 42.6M params"),
                variant("strip_mlp_b", StripMlpConfig.base(), "B: 112 channels, [2,2,18,2], 57.2M params"));
    }

    private static Variant<StripMlpConfig> variant(String name, StripMlpConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("Strip-MLP " + summary + "; fixed input size")
                .setFactory(StripMlp::of)
                .optKeyMap(StripMlp::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .build();
    }
}
