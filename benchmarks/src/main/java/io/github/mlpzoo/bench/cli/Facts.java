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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What {@code zoo list} and {@code zoo info} say about a variant; the JSON form is the machine-readable
 * contract docs and tools are generated from. {@code measured} holds the variant's rows of {@code measured.tsv};
 * {@code macsUncounted} the blocks that own a weight but have no MAC rule (path and class), normally none.
 */
record Facts(
        String name, String domain, long params, long macs, String inputShape, String paper, String officialRepo,
        String summary, Map<String, String> config, List<Anchor> anchors, List<Measured> measured,
        List<String> macsUncounted) {

    /** Facts of the default configurations, computed once per process (profiling builds the model). */
    private static final Map<String, Facts> CACHE = new ConcurrentHashMap<>();

    static Facts of(Variant<?> v) {
        return CACHE.computeIfAbsent(v.name(), n -> compute(v));
    }

    private static Facts compute(Variant<?> v) {
        Block block = v.create(Map.of());
        DataDesc[] inputs = v.inputs(Map.of());
        ModelProfile p = ModelProfile.of(block, Zoo.shapes(inputs));
        String shapes = Arrays.stream(inputs)
                .map(d -> d.getShape() + (d.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? "" : " " + d.getDataType()))
                .collect(Collectors.joining(", "));
        List<Measured> rows = allMeasured().stream().filter(m -> m.variant().equals(v.name())).toList();
        List<String> uncounted = p.uncounted().stream()
                .map(path -> path + " (" + blockAt(block, path).getClass().getSimpleName() + ")").toList();
        return new Facts(v.name(), v.domain(), p.params(), p.macs(), shapes, v.paper(), v.officialRepo(),
                v.summary(), io.github.mlpzoo.core.zoo.Configs.toStrings(v.defaults()), v.anchors(), rows, uncounted);
    }

    /** Every row of {@code measured.tsv}, validated against the registered names (read once). */
    static synchronized List<Measured> allMeasured() {
        if (measuredRows == null) { // a bad file throws every time, with the line at fault
            measuredRows = Measured.load(Zoo.list().stream().map(Variant::name).collect(Collectors.toSet()));
        }
        return measuredRows;
    }

    private static List<Measured> measuredRows;

    /** The block at a {@link ModelProfile} path (child names joined by '/'; the root's class name for itself). */
    private static Block blockAt(Block root, String path) {
        Block b = root;
        if (path.equals(root.getClass().getSimpleName())) {
            return b;
        }
        for (String name : path.split("/")) {
            Block child = b.getChildren().get(name);
            if (child == null) {
                return b;
            }
            b = child;
        }
        return b;
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
