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
            "mlp", new Recipe(0.00010632258766605092, 0.07951092079903721),
            "tabm", new Recipe(0.0009176025148173867, 0.0),
            "tabm_mini", new Recipe(0.0008748247793347651, 0.029862828310539012),
            "tabm_packed", new Recipe(0.00018818562456064292, 0.0003204091724694931),
            "tabm_ple", new Recipe(0.0016541958790789535, 0.0),
            "tabm_mini_ple", new Recipe(0.001215399574352129, 0.07288638510205457));

    /**
     * The paper's tuned Adult architectures ({@code paper/exp/<model>/adult/0-evaluation/0.toml},
     * {@code [model.backbone]}, {@code [model.num_embeddings]}, {@code [bins]}) as config overrides of the zoo
     * variants (whose defaults are the California ones). {@code tabm_packed_ple} has no tuned run and takes
     * {@code TabM.make}'s defaults (2 × 512, dropout 0.1, d_embedding 16, 48 bins).
     */
    private static final Map<String, Map<String, String>> ADULT_ARCH = Map.of(
            "mlp", Map.of("nBlocks", "4", "dBlock", "400", "dropout", "0.23115082929957356"),
            "tabm", Map.of("nBlocks", "4", "dBlock", "320", "dropout", "0.3865104245869764"),
            "tabm_mini", Map.of("nBlocks", "3", "dBlock", "320", "dropout", "0.48882935010888806"),
            "tabm_packed", Map.of("nBlocks", "4", "dBlock", "816", "dropout", "0.0"),
            "tabm_ple", Map.of("nBlocks", "3", "dBlock", "496", "dropout", "0.06181175728560897",
                    "dEmbedding", "28", "nBins", "114"),
            "tabm_mini_ple", Map.of("nBlocks", "3", "dBlock", "864", "dropout", "0.2083565877361451",
                    "dEmbedding", "20", "nBins", "117"),
            "tabm_packed_ple", Map.of("nBlocks", "2", "dBlock", "512", "dropout", "0.1",
                    "dEmbedding", "16", "nBins", "48"));

    private PaperRecipes() {}

    /**
     * What every tuned TabM run of the paper sets beside the architecture ({@code share_training_batches = false}:
     * the k members train on their own batches), as config overrides; empty for other models.
     */
    static Map<String, String> tunedProtocol(io.github.mlpzoo.core.zoo.Variant<?> variant) {
        return variant.defaults() instanceof io.github.mlpzoo.tabular.tabm.TabMConfig
                ? Map.of("shareTrainingBatches", "false") : Map.of();
    }

    /** k when {@code config} is a TabM whose members train on their own batches ({@code Fit.independentBatches}), else 1. */
    static int independentMembers(Record config) {
        return config instanceof io.github.mlpzoo.tabular.tabm.TabMConfig c && !c.shareTrainingBatches() ? c.k() : 1;
    }

    /** The tuned Adult architecture of {@code variant} as config overrides, or an empty map. */
    static Map<String, String> adultArchitecture(String variant) {
        return ADULT_ARCH.getOrDefault(variant, Map.of());
    }

    /** The recipe for {@code variant} on {@code dataset} ({@code california} or {@code adult}), or the default. */
    static Recipe of(String dataset, String variant) {
        Map<String, Recipe> m = "adult".equals(dataset) ? ADULT : CALIFORNIA;
        return m.getOrDefault(variant, README_DEFAULT);
    }
}
