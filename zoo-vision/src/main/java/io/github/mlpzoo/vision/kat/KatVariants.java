package io.github.mlpzoo.vision.kat;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The KAT variants, registered with the zoo through {@code META-INF/services}: {@code kat_t}, {@code kat_s},
 * {@code kat_b}, the official {@code kat_{tiny,small,base}_swish_patch16_224} ({@link KatConfig}). Anchors: ImageNet-1k
 * top-1 from scratch, official README.
 */
public final class KatVariants implements VariantProvider {

    static final String PAPER = "Yang & Wang, Kolmogorov-Arnold Transformer, ICLR 2025";
    static final String REPO = "Adamdad/kat (katransformer.py) + Adamdad/rational_kat_cu (kat_rational)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("kat_t", KatConfig.tiny(), "ViT-Ti/16 with GR-KAN MLPs, 5.7M params", 0.746),
                variant("kat_s", KatConfig.small(), "ViT-S/16 with GR-KAN MLPs, 22.1M params", 0.812),
                variant("kat_b", KatConfig.base(), "ViT-B/16 with GR-KAN MLPs, 86.6M params", 0.823));
    }

    private static Variant<KatConfig> variant(String name, KatConfig config, String summary, double top1) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("KAT " + summary + "; rationals by the official kernels' formula")
                .setFactory(Kat::of)
                .optKeyMap(Kat::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .addAnchor(new Anchor("imagenet", "accuracy", top1, "official README, from scratch"))
                .build();
    }
}
