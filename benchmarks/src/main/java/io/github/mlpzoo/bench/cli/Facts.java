package io.github.mlpzoo.bench.cli;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.nn.Block;
import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code zoo list} and {@code zoo info} say about a variant; the JSON form is the machine-readable
 * contract docs and tools are generated from.
 */
record Facts(
        String name, String domain, long params, long macs, String inputShape, String paper, String officialRepo,
        String summary, Map<String, String> config, List<Anchor> anchors) {

    static Facts of(Variant<?> v) {
        Block block = v.create(Map.of());
        DataDesc[] inputs = v.inputs(Map.of());
        ModelProfile p = ModelProfile.of(block, Zoo.shapes(inputs));
        String shapes = Arrays.stream(inputs)
                .map(d -> d.getShape() + (d.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? "" : " " + d.getDataType()))
                .collect(Collectors.joining(", "));
        return new Facts(v.name(), v.domain(), p.params(), p.macs(), shapes, v.paper(), v.officialRepo(),
                v.summary(), io.github.mlpzoo.core.zoo.Configs.toStrings(v.defaults()), v.anchors());
    }

    /** A count with a metric suffix, e.g. 45.9K, 1.23M, 4.56G. */
    static String human(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f%s" : v >= 10 ? "%.1f%s" : "%.2f%s", v, units[u]);
    }
}
