package io.github.mlpzoo.vision.scalingmlp;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;
import java.util.function.Supplier;

/**
 * The Scaling-MLP variants, registered with the zoo through {@code META-INF/services}: {@code scaling_mlp_b6_wi512},
 * {@code _b12_wi512}, {@code _b6_wi1024}, {@code _b12_wi1024} ({@link ScalingMlpConfig}), 64×64 input and the
 * ImageNet-21k head as the released checkpoints. Anchors: CIFAR-10 top-1 after IN21k pre-training and fine-tuning
 * (official README).
 */
public final class ScalingMlpVariants implements VariantProvider {

    static final String PAPER = "Bachmann, Anagnostidis & Hofmann, Scaling MLPs: A Tale of Inductive Bias, NeurIPS 2023";
    static final String REPO = "gregorbachmann/scaling_mlps (models/networks.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("scaling_mlp_b6_wi512", ScalingMlpConfig::b6Wi512, "B_6-Wi_512, 24.7M params", 0.885),
                variant("scaling_mlp_b12_wi512", ScalingMlpConfig::b12Wi512, "B_12-Wi_512, 37.3M params", 0.914),
                variant("scaling_mlp_b6_wi1024", ScalingMlpConfig::b6Wi1024, "B_6-Wi_1024, 74.5M params", 0.925),
                variant("scaling_mlp_b12_wi1024", ScalingMlpConfig::b12Wi1024, "B_12-Wi_1024, 124.8M params",
                        0.942));
    }

    private static Variant<ScalingMlpConfig> variant(
            String name, Supplier<ScalingMlpConfig> config, String summary, double cifar10) {
        return Variant.builder(name, config.get())
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("Scaling-MLP " + summary + ": flattened 64x64 image, pre-LN inverted bottlenecks")
                .setFactory(ScalingMlp::of)
                .optKeyMap(ScalingMlp::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .addAnchor(new Anchor("cifar10", "accuracy", cifar10, "official README, IN21k pre-train + fine-tune"))
                .build();
    }
}
