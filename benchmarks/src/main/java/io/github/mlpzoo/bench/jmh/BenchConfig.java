package io.github.mlpzoo.bench.jmh;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark configuration of issue 9: a registered variant, the config overrides it is built with, and
 * the batch size it is timed at. The stated configurations ({@link #STATED}) are one variant per vision family
 * at 224×224 and batch 8, {@code activator} (its repository's CIFAR-10 model, 32×32) and
 * {@code scaling_mlp_b6_wi512} (B_6-Wi_512 at 64×64, ImageNet-21k head) at their registered defaults and
 * batch 8, {@code tabm} on California Housing's shape (8 numeric features, one target) at
 * batch 256, {@code patchtsmixer_etth1} (context 512, 7 channels) at batch 32, {@code din} and
 * {@code finalmlp} on the MovieLens feature spec (their registered defaults) at batch 1024, and a
 * [784, 64, 10] KAN at batch 256. The same names are used by the JMH suite ({@link ModelBench}),
 * {@code zoo bench} and {@code benchmarks/python/bench_official.py}, so the three time the same work.
 *
 * @param name the benchmark name (a registered variant name)
 * @param variant the registered variant built
 * @param overrides config overrides, as {@code zoo --set} would give them
 * @param batch the batch size timed
 */
public record BenchConfig(String name, String variant, Map<String, String> overrides, int batch) {

    /** The stated configurations, in the order the results table lists them. */
    public static final List<BenchConfig> STATED = List.of(
            vision("mixer_s16"), vision("gmlp_s16"), vision("poolformer_s12"), vision("strip_mlp_t"),
            vision("ms_mlp_t"), vision("raft_mlp_s"), vision("kat_t"), vision("activator"),
            vision("scaling_mlp_b6_wi512"),
            new BenchConfig("tabm", "tabm", Map.of(), 256),
            new BenchConfig("patchtsmixer_etth1", "patchtsmixer_etth1", Map.of(), 32),
            new BenchConfig("din", "din", Map.of(), 1024),
            new BenchConfig("finalmlp", "finalmlp", Map.of(), 1024),
            new BenchConfig("kan", "kan", Map.of("widths", "784,64,10"), 256));

    /** Copies {@code overrides}; checks the batch. */
    public BenchConfig {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1; got " + batch + " for " + name);
        }
        overrides = Map.copyOf(overrides);
    }

    /**
     * The stated configuration called {@code name}, or, for any other registered variant, its defaults at
     * batch 8 (vision) or 256 (other domains).
     *
     * @throws IllegalArgumentException for a name that is neither stated nor registered
     */
    public static BenchConfig of(String name) {
        for (BenchConfig c : STATED) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        Variant<?> v = Zoo.variant(name);
        return new BenchConfig(name, name, Map.of(), "vision".equals(v.domain()) ? 8 : 256);
    }

    /** This configuration with another batch size ({@code batch <= 0} keeps the stated one). */
    public BenchConfig withBatch(int newBatch) {
        return newBatch <= 0 ? this : new BenchConfig(name, variant, overrides, newBatch);
    }

    /** This configuration with {@code more} overrides added (they win over the stated ones). */
    public BenchConfig withOverrides(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        return new BenchConfig(name, variant, all, batch);
    }

    /** The batch and the config overrides, e.g. {@code batch 256, widths=784,64,10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("batch ").append(batch);
        overrides.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(", ").append(e.getKey()).append('=').append(e.getValue()));
        return sb.toString();
    }

    private static BenchConfig vision(String name) {
        return new BenchConfig(name, name, Map.of(), 8);
    }
}
