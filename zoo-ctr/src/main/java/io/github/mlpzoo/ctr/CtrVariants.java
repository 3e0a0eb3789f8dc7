package io.github.mlpzoo.ctr;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;
import io.github.mlpzoo.ctr.din.Din;
import io.github.mlpzoo.ctr.din.DinConfig;
import io.github.mlpzoo.ctr.din.DinKeyMap;
import io.github.mlpzoo.ctr.finalmlp.DualMlp;
import io.github.mlpzoo.ctr.finalmlp.DualMlpConfig;
import io.github.mlpzoo.ctr.finalmlp.FinalMlp;
import io.github.mlpzoo.ctr.finalmlp.FinalMlpConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CTR variants, registered through {@code META-INF/services}, all with the MovieLens configs of
 * {@code CTR_PROTOCOL.md} §5 as defaults:
 * <ul>
 *   <li>{@code din}: DIN as DeepCTR-Torch builds it (attention without softmax; {@code attentionSoftmax=true} for
 *       the official normalization); {@code din_mba}: the same trained with mini-batch aware regularization.</li>
 *   <li>{@code ctr_dnn}: the Embedding&amp;MLP base model with sum-pooled histories.</li>
 *   <li>{@code finalmlp}, {@code dualmlp}: FuxiCTR's FinalMLP and DualMLP.</li>
 * </ul>
 * Inputs: {@code sparse (B, S)} int64, {@code history (B, H, T)} int64 (0 = padding), {@code dense (B, D)} float32
 * for DIN with dense features. Output: click logits (B, 1).
 */
public final class CtrVariants implements VariantProvider {

    static final String DIN_PAPER = "Zhou et al., Deep Interest Network for Click-Through Rate Prediction, KDD 2018";
    static final String DIN_REPO = "shenweichen/DeepCTR-Torch (deepctr_torch/models/din.py); official: "
            + "zhougr1993/DeepInterestNetwork";
    static final String FINALMLP_PAPER = "Mao et al., FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction, "
            + "AAAI 2023";
    static final String FINALMLP_REPO = "reczoo/FuxiCTR (model_zoo/FinalMLP)";
    /** The default MBA strength of {@code din_mba}. */
    public static final float MBA_LAMBDA = 0.01f;

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(din("din", DinConfig.movielens(), "DIN (DeepCTR-Torch defaults), MovieLens fields"),
                din("din_mba", DinConfig.movielens().withMbaLambda(MBA_LAMBDA),
                        "DIN trained with mini-batch aware regularization (lambda " + MBA_LAMBDA + ")"),
                din("ctr_dnn", DinConfig.movielensBase(), "Embedding&MLP base model, sum-pooled history"),
                finalmlp(), dualmlp());
    }

    static Variant<DinConfig> din(String name, DinConfig defaults, String summary) {
        return Variant.builder(name, defaults)
                .setDomain("ctr")
                .setPaper(DIN_PAPER)
                .setOfficialRepo(DIN_REPO)
                .optSummary(summary)
                .setFactory(Din::new)
                .optKeyMap(DinKeyMap::of)
                .setInputs(c -> {
                    List<DataDesc> in = new ArrayList<>(List.of(
                            new DataDesc(new Shape(1, c.vocab().length), DataType.INT64, "sparse"),
                            new DataDesc(new Shape(1, c.behaviourFields().length, c.maxLen()), DataType.INT64,
                                    "history")));
                    if (c.denseFeatures() > 0) {
                        in.add(new DataDesc(new Shape(1, c.denseFeatures()), DataType.FLOAT32, "dense"));
                    }
                    return in.toArray(new DataDesc[0]);
                })
                .build();
    }

    static Variant<FinalMlpConfig> finalmlp() {
        return Variant.builder("finalmlp", FinalMlpConfig.movielens())
                .setDomain("ctr")
                .setPaper(FINALMLP_PAPER)
                .setOfficialRepo(FINALMLP_REPO)
                .optSummary("FinalMLP: two gated MLP streams with multi-head bilinear fusion (FinalMLP_default)")
                .setFactory(FinalMlp::new)
                .optKeyMap(c -> keyMap(FinalMlp.officialKeys(c)))
                .setInputs(c -> inputs(c.vocab().length, c.historyFields().length, c.maxLen()))
                .build();
    }

    static Variant<DualMlpConfig> dualmlp() {
        return Variant.builder("dualmlp", DualMlpConfig.movielens())
                .setDomain("ctr")
                .setPaper(FINALMLP_PAPER)
                .setOfficialRepo(FINALMLP_REPO)
                .optSummary("DualMLP: two MLPs summed (DualMLP_default)")
                .setFactory(DualMlp::new)
                .optKeyMap(c -> keyMap(DualMlp.officialKeys(c)))
                .setInputs(c -> inputs(c.vocab().length, c.historyFields().length, c.maxLen()))
                .build();
    }

    private static DataDesc[] inputs(int s, int h, int t) {
        DataDesc sparse = new DataDesc(new Shape(1, s), DataType.INT64, "sparse");
        return h == 0 ? new DataDesc[] {sparse}
                : new DataDesc[] {sparse, new DataDesc(new Shape(1, h, t), DataType.INT64, "history")};
    }

    private static KeyMap keyMap(Map<String, String> keys) {
        KeyMap.Builder b = KeyMap.builder();
        keys.forEach((official, ours) -> b.rename(Pattern.quote(official), ours));
        return b.build();
    }
}
