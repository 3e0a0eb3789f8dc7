package io.github.mlpzoo.tabular.kan;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;

import java.util.List;

/**
 * The KAN variant, registered with the zoo through {@code META-INF/services}: {@code kan}, efficient-kan's
 * {@code KAN} defaulting to California Housing's shape ({@link KanConfig#california()}: 8 → 16 → 1, grid 5, cubic);
 * {@code --set widths=2,5,1} etc. gives any other network.
 */
public final class KanVariants implements VariantProvider {

    static final String PAPER = "Liu et al., KAN: Kolmogorov-Arnold Networks, arXiv 2404.19756 (ICLR 2025)";
    static final String REPO = "Blealtan/efficient-kan (src/efficient_kan/kan.py)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(Variant.builder("kan", KanConfig.california())
                .setDomain("tabular")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary("KAN: stacked B-spline KAN layers (SiLU base + cubic spline per edge), 8-16-1, grid 5")
                .setFactory(Kan::of)
                .optKeyMap(Kan::keyMap)
                .setInputs(c -> new DataDesc[] {
                    new DataDesc(new Shape(1, c.widths()[0]), DataType.FLOAT32, "x_num")})
                .build());
    }
}
