package io.github.mlpzoo.spark;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.weights.Weights;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where executors load a registered zoo model from: a model directory ({@code Zoo.save}, {@code zoo train},
 * {@code zoo import}) or a variant with official weights ({@code Weights.loadVariant}). The path is kept as given
 * and must name the model on every executor: an absolute path on a file system every node mounts, or a relative
 * one that the driver and each executor resolve in their working directory (where {@code spark-submit --archives
 * model.zip#model} unpacks it). The variant and its config are read on the driver, so a wrong path or an unknown
 * variant fails before any task starts.
 */
public final class ModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    /** serving.properties keys that are DJL's own, not config overrides (as zoo-core's VariantBlockFactory). */
    private static final Set<String> DJL_KEYS = Set.of(
            "engine", "blockFactory", "application", "translatorFactory", "translator", "modelName", "seed",
            "variant");

    private final String directory;
    private final String weights;
    private final String variant;
    private final TreeMap<String, String> overrides;

    private ModelSource(String directory, String weights, String variant, Map<String, String> overrides) {
        this.directory = directory;
        this.weights = weights;
        this.variant = variant;
        this.overrides = new TreeMap<>(overrides);
        Zoo.variant(variant); // unknown names fail here, with suggestions
    }

    /**
     * The model directory {@code dir}: {@code serving.properties} naming the variant and its config, plus the
     * parameter file.
     *
     * @throws IOException if {@code dir} has no readable {@code serving.properties}
     * @throws IllegalArgumentException if it names no variant, or one that is not registered
     */
    public static ModelSource directory(Path dir) throws IOException {
        Path norm = dir.normalize();
        Path props = norm.resolve("serving.properties");
        if (!Files.isRegularFile(props)) {
            throw new IOException("not a model directory (no serving.properties): " + norm.toAbsolutePath());
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props)) {
            p.load(r);
        }
        String name = p.getProperty("variant");
        if (name == null) {
            throw new IllegalArgumentException(props + " names no variant (expected a line variant=<name>)");
        }
        Map<String, String> overrides = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (!DJL_KEYS.contains(k)) {
                overrides.put(k, p.getProperty(k));
            }
        }
        return new ModelSource(norm.toString(), null, name, overrides);
    }

    /** Variant {@code name} with {@code overrides}, loaded with the official checkpoint {@code weights}. */
    public static ModelSource officialWeights(String name, Map<String, String> overrides, Path weights) {
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("no checkpoint file at " + weights.toAbsolutePath());
        }
        return new ModelSource(null, weights.normalize().toString(), name, overrides);
    }

    /** The registered variant name. */
    public String variant() {
        return variant;
    }

    /** The config overrides of the variant. */
    public Map<String, String> overrides() {
        return java.util.Collections.unmodifiableMap(overrides);
    }

    /** The cache key: one model per key per JVM. */
    String key() {
        return directory != null ? "dir:" + directory : "weights:" + variant + overrides + "@" + weights;
    }

    /** Loads the model; the caller owns it. */
    Model load() throws IOException {
        Engines.configureOffline();
        if (weights != null) {
            return Weights.loadVariant(variant, overrides, Path.of(weights));
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(Path.of(directory))
                .optEngine("PyTorch")
                .build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the model directory " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return variant + (overrides.isEmpty() ? "" : " " + overrides) + " from "
                + (directory != null ? directory : weights);
    }
}
