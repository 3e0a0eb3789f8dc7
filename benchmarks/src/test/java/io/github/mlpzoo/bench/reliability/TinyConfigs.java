package io.github.mlpzoo.bench.reliability;

import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.core.zoo.Variant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tiny overrides for every registered variant, from a small table keyed by name prefix (the longest
 * matching prefix wins; keys the variant's config lacks are dropped), so that the reliability tests can build
 * and run every variant in milliseconds. The sizes follow the domain modules' own contract tests.
 */
final class TinyConfigs {

    private static final List<Map.Entry<String, Map<String, String>>> TABLE = List.of(
            Map.entry("activator", Map.of("imageSize", "8", "patchSize", "4", "dModel", "8", "dFfn", "12",
                    "numLayers", "1", "numClasses", "3")),
            Map.entry("ctr_dnn", ctr()),
            Map.entry("din", ctr()),
            Map.entry("dualmlp", ctr()),
            Map.entry("finalmlp", ctr()),
            Map.entry("dsm_", Map.of("imageSize", "8", "patchSize", "2", "embedDim", "8", "depth", "1",
                    "bands", "3", "reduction", "2", "mlpRatio", "2", "numClasses", "3")),
            Map.entry("gmlp_", Map.of("imageSize", "8", "patchSize", "4", "numBlocks", "1", "embedDim", "8",
                    "ffnWidth", "16", "numClasses", "3")),
            Map.entry("mixer_", Map.of("imageSize", "8", "patchSize", "4", "numBlocks", "1", "embedDim", "8",
                    "tokenHidden", "4", "channelHidden", "16", "numClasses", "3")),
            Map.entry("kan", Map.of("widths", "8,4,1", "gridSize", "3")),
            Map.entry("kat_", Map.of("imageSize", "8", "patchSize", "4", "embedDim", "16", "depth", "1",
                    "numHeads", "2", "mlpHidden", "32", "numClasses", "3")),
            Map.entry("mlp", Map.of("nBlocks", "1", "dBlock", "8")),
            Map.entry("ms_mlp_", Map.of("imageSize", "16", "patchSize", "2", "embedDim", "10", "depths", "1,1,1,1",
                    "numClasses", "3", "inChannels", "2")),
            Map.entry("patchtsmixer", Map.of("contextLength", "16", "patchLength", "4", "patchStride", "4",
                    "dModel", "8", "expansion", "2", "layers", "1", "predictionLength", "4")),
            Map.entry("poolformer_", Map.of("layers", "1,1,1,1", "embedDims", "4,8,8,8", "numClasses", "3",
                    "inChannels", "2")),
            Map.entry("raft_mlp_", Map.of("imageSize", "16", "depths", "1,1", "dims", "8,8", "patchSizes", "4,2",
                    "raftSizes", "2,4", "crossScales", "2,1", "numClasses", "3", "inChannels", "2")),
            Map.entry("scaling_mlp_", Map.of("imageSize", "4", "blocks", "1", "width", "8", "numClasses", "3")),
            Map.entry("strip_mlp_", Map.of("imageSize", "16", "patchSize", "2", "embedDim", "8", "layers", "1,1,1,1",
                    "numClasses", "3", "inChannels", "2")),
            Map.entry("tabm", Map.of("k", "4", "nBlocks", "1", "dBlock", "8", "dEmbedding", "4", "nBins", "4")));

    /** Variants (by name) the table above cannot shrink; empty means every registered variant is covered. */
    static final Set<String> NOT_SHRUNK = Set.of();

    private TinyConfigs() {}

    private static Map<String, String> ctr() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vocab", "7,9,5");
        m.put("embeddingDim", "4");
        m.put("maxLen", "5");
        m.put("attentionUnits", "6,3");
        m.put("dnnUnits", "8,4");
        m.put("mlp1Units", "8,4");
        m.put("mlp2Units", "6,4");
        m.put("fsUnits", "5");
        return m;
    }

    /** The tiny overrides for {@code v}, or an empty map if no prefix matches. */
    static Map<String, String> of(Variant<?> v) {
        String best = null;
        for (Map.Entry<String, Map<String, String>> e : TABLE) {
            if (v.name().startsWith(e.getKey()) && (best == null || e.getKey().length() > best.length())) {
                best = e.getKey();
            }
        }
        if (best == null) {
            return Map.of();
        }
        Set<String> keys = Configs.toMap(v.defaults()).keySet();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : TABLE) {
            if (e.getKey().equals(best)) {
                e.getValue().forEach((k, val) -> {
                    if (keys.contains(k)) {
                        out.put(k, val);
                    }
                });
            }
        }
        return out;
    }
}
