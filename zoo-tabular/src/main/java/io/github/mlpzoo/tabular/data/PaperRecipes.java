package io.github.mlpzoo.tabular.data;

import java.util.Map;

/**
 * The optimizer settings of the TabM paper's tuned runs ({@code yandex-research/tabm},
 * {@code paper/exp/<model>/<dataset>/0-evaluation/0.toml}, {@code [optimizer]}: AdamW lr and weight decay; batch 256,
 * clipping 1.0 and patience 16 for all of them), by dataset and zoo variant name. A variant without a tuned run
 * ({@code tabm_packed_ple}) gets the {@code tabm} README's default, AdamW(lr=0.002, weight_decay=0.0003).
 */
final class PaperRecipes {

    /** AdamW learning rate and weight decay. */
    record Recipe(double lr, double weightDecay) {}

    static final Recipe README_DEFAULT = new Recipe(0.002, 0.0003);

    private static final Map<String, Recipe> CALIFORNIA = Map.of(
            "mlp", new Recipe(0.0005635553682721966, 0.028758690586743314),
            "tabm", new Recipe(0.000872489003621806, 0.03777165108799435),
            "tabm_mini", new Recipe(0.0005792354045196191, 0.0),
            "tabm_packed", new Recipe(0.002984620267502185, 0.0),
            "tabm_ple", new Recipe(0.00010149728211158224, 0.00018958624986994033),
            "tabm_mini_ple", new Recipe(0.00029926241255995084, 0.0));

    private static final Map<String, Recipe> ADULT = Map.of(
            "tabm", new Recipe(0.0009176025148173867, 0.0),
            "tabm_mini", new Recipe(0.0008748247793347651, 0.029862828310539012),
            "tabm_packed", new Recipe(0.00018818562456064292, 0.0003204091724694931),
            "tabm_ple", new Recipe(0.0016541958790789535, 0.0),
            "tabm_mini_ple", new Recipe(0.001215399574352129, 0.07288638510205457));

    private PaperRecipes() {}

    /** The recipe for {@code variant} on {@code dataset} ({@code california} or {@code adult}), or the default. */
    static Recipe of(String dataset, String variant) {
        Map<String, Recipe> m = "adult".equals(dataset) ? ADULT : CALIFORNIA;
        return m.getOrDefault(variant, README_DEFAULT);
    }
}
