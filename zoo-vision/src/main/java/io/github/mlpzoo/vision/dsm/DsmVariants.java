package io.github.mlpzoo.vision.dsm;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The DSM variant, registered with the zoo through {@code META-INF/services}: {@code dsm_s}, our reconstruction
 * ({@link Dsm}, {@link DsmConfig#small()}); no official code or variant table exists.
 */
public final class DsmVariants implements VariantProvider {

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(Variant.builder("dsm_s", DsmConfig.small())
                .setDomain("vision")
                .setPaper("Hu & Yu, Dynamic Spectrum Mixer for Visual Recognition, arXiv 2309.06721")
                .setOfficialRepo("none (no official code found; reconstructed from the abstract)")
                .optSummary("DSM (reconstruction): DCT-domain token mixing with dynamic spectrum weights, 12 x 384")
                .setFactory(Dsm::of)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.inChannels(), c.imageSize(),
                        c.imageSize()), DataType.FLOAT32, "image")})
                .build());
    }
}
