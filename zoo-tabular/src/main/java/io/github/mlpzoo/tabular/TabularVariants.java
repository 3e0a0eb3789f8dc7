package io.github.mlpzoo.tabular;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;
import io.github.mlpzoo.tabular.mlp.Mlp;
import io.github.mlpzoo.tabular.mlp.MlpConfig;
import io.github.mlpzoo.tabular.mlp.MlpKeyMap;

import java.util.List;

/**
 * The tabular variants, registered with the zoo through {@code META-INF/services}:
 * <ul>
 *   <li>{@code mlp}: the TabM paper's MLP baseline with its tuned California Housing config
 *       ({@link MlpConfig#california()}).</li>
 * </ul>
 */
public final class TabularVariants implements VariantProvider {

    static final String TABM_PAPER = "Gorishniy et al., TabM: Advancing Tabular Deep Learning with "
            + "Parameter-Efficient Ensembling, ICLR 2025";
    static final String TABM_REPO = "yandex-research/tabm";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(mlp());
    }

    static Variant<MlpConfig> mlp() {
        return Variant.builder("mlp", MlpConfig.california())
                .setDomain("tabular")
                .setPaper(TABM_PAPER)
                .setOfficialRepo(TABM_REPO)
                .optSummary("MLP baseline: blocks of Linear-ReLU-Dropout, tuned for California Housing (2 x 208)")
                .setFactory(c -> Mlp.builder().setConfig(c).build())
                .optKeyMap(MlpKeyMap::of)
                .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.dIn()), DataType.FLOAT32, "x_num")})
                .addAnchor(new Anchor("california", "rmse", 0.5048, "official code on this split, 3 seeds"))
                .addAnchor(new Anchor("adult", "accuracy", 0.8540, "paper exp (15 seeds, paper's split)"))
                .build();
    }
}
