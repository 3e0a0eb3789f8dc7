package io.github.mlpzoo.tabular.tabm;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;
import io.github.mlpzoo.tabular.tabm.TabMConfig.Arch;

import java.util.ArrayList;
import java.util.List;

/**
 * The TabM variants, registered with the zoo through {@code META-INF/services}: {@code tabm}, {@code tabm_mini},
 * {@code tabm_packed} and each with piecewise-linear embeddings ({@code _ple}), defaulting to the paper's tuned
 * California Housing configurations ({@link TabMConfig#california}). Anchors: the paper's mean test figures over 15
 * seeds ({@code yandex-research/tabm}, {@code paper/exp/<model>/<dataset>/0-evaluation/*}/report.json}, on the
 * paper's own California split, which is about 0.01 RMSE easier than the project's).
 */
public final class TabMVariants implements VariantProvider {

    static final String PAPER = "Gorishniy et al., TabM: Advancing Tabular Deep Learning with "
            + "Parameter-Efficient Ensembling, ICLR 2025";
    static final String REPO = "yandex-research/tabm";
    private static final String SOURCE = "paper exp (15 seeds, paper's split)";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                variant("tabm", Arch.TABM, false, 0.4414, 0.8575),
                variant("tabm_mini", Arch.TABM_MINI, false, 0.4479, 0.8598),
                variant("tabm_packed", Arch.TABM_PACKED, false, 0.4763, 0.8580),
                variant("tabm_ple", Arch.TABM, true, 0.4293, 0.8694),
                variant("tabm_mini_ple", Arch.TABM_MINI, true, 0.4275, 0.8700),
                variant("tabm_packed_ple", Arch.TABM_PACKED, true, Double.NaN, Double.NaN));
    }

    private static Variant<TabMConfig> variant(String name, Arch arch, boolean ple, double california, double adult) {
        Variant.Builder<TabMConfig> b = Variant.builder(name, TabMConfig.california(arch, ple))
                .setDomain("tabular")
                .setPaper(PAPER)
                .setOfficialRepo(REPO)
                .optSummary(arch.official() + (ple ? " with piecewise-linear embeddings" : "")
                        + ", k=32, tuned for California Housing; output (B, k, dOut), one prediction per member")
                .setFactory(TabM::new)
                .optKeyMap(TabMKeyMap::of)
                .setInputs(TabMVariants::inputs);
        if (!Double.isNaN(california)) {
            b.addAnchor(new Anchor("california", "rmse", california, SOURCE));
            b.addAnchor(new Anchor("adult", "accuracy", adult, SOURCE));
        }
        return b.build();
    }

    /** {@code x_num (1, nNum)} float32 and/or {@code x_cat (1, m)} int64. */
    static DataDesc[] inputs(TabMConfig c) {
        List<DataDesc> out = new ArrayList<>();
        if (c.nNum() > 0) {
            out.add(new DataDesc(new Shape(1, c.nNum()), DataType.FLOAT32, "x_num"));
        }
        if (c.catCardinalities().length > 0) {
            out.add(new DataDesc(new Shape(1, c.catCardinalities().length), DataType.INT64, "x_cat"));
        }
        return out.toArray(new DataDesc[0]);
    }
}
