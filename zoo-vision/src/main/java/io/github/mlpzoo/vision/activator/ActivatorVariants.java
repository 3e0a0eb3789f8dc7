package io.github.mlpzoo.vision.activator;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The Activator variants, registered with the zoo through {@code META-INF/services}: {@code activator} (the
 * repository's CIFAR-10 model) and {@code activator_geglu} (its {@code only_GEGLU} form without FFNs).
 */
public final class ActivatorVariants implements VariantProvider {

    static final String PAPER = "Abdullah & Aydin, Activator: GLU Activation Function as the Core Component of a "
            + "Vision Transformer, arXiv 2405.15953";
    static final String REPO = "Abdullah-88/Activator (activator.py, train.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("activator", ActivatorConfig.cifar10(),
                        "Activator: patch MLP of GLU gating units + FFNs, no token mixing, 32x32, 2.65M params"),
                variant("activator_geglu", ActivatorConfig.cifar10GatingOnly(),
                        "Activator, gating units only (only_GEGLU), 32x32, 1.60M params"));
    }

    private static Variant<ActivatorConfig> variant(String name, ActivatorConfig config, String summary) {
        return Variant.builder(name, config)
                .setDomain("vision")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary(summary)
                .setFactory(Activator::of)
                .optKeyMap(Activator::keyMap)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .build();
    }
}
