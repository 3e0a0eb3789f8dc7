package io.github.mlpzoo.core.zoo;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.nn.Block;
import io.github.mlpzoo.core.weights.KeyMap;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One named model variant: its config record with the official defaults, the function that builds the
 * block from a config, the input it expects, and where it comes from.
 *
 * <p>Variants are what the registry ({@link Zoo}), DJL's {@code Criteria} and the CLI all know by name.
 *
 * @param <C> the config record type
 */
public final class Variant<C extends Record> {

    private final String name;
    private final String domain;
    private final String paper;
    private final String officialRepo;
    private final String summary;
    private final C defaults;
    private final Function<C, Block> factory;
    private final Function<C, DataDesc[]> inputs;
    private final List<Anchor> anchors;
    private final Function<C, KeyMap> keyMap;

    private Variant(Builder<C> b) {
        this.name = b.name;
        this.domain = b.domain;
        this.paper = b.paper;
        this.officialRepo = b.officialRepo;
        this.summary = b.summary;
        this.defaults = b.defaults;
        this.factory = b.factory;
        this.inputs = b.inputs;
        this.anchors = List.copyOf(b.anchors);
        this.keyMap = b.keyMap;
    }

    /** Starts a variant called {@code name} whose official config is {@code defaults}. */
    public static <C extends Record> Builder<C> builder(String name, C defaults) {
        return new Builder<>(name, defaults);
    }

    /** The stable registry name, e.g. {@code mlp} or {@code strip_mlp_t}. */
    public String name() {
        return name;
    }

    /** {@code vision}, {@code tabular}, {@code timeseries} or {@code ctr}. */
    public String domain() {
        return domain;
    }

    /** The source paper, as "Authors, Title, Venue Year". */
    public String paper() {
        return paper;
    }

    /** The official implementation's repository ({@code owner/name}, path if useful). */
    public String officialRepo() {
        return officialRepo;
    }

    /** One line on what the variant is. */
    public String summary() {
        return summary;
    }

    /** The official config. */
    public C defaults() {
        return defaults;
    }

    /** Published figures this variant is compared against when trained. */
    public List<Anchor> anchors() {
        return anchors;
    }

    /** The anchor for {@code dataset}, or {@code null}. */
    public Anchor anchor(String dataset) {
        for (Anchor a : anchors) {
            if (a.dataset().equals(dataset)) {
                return a;
            }
        }
        return null;
    }

    /** System property: the largest integer (in absolute value) a string override may set; default 2^20. */
    public static final String MAX_CONFIG_VALUE_PROPERTY = "zoo.maxConfigValue";

    /**
     * The defaults with {@code key=value} overrides applied and validated. An integer override (or list
     * element) above {@code zoo.maxConfigValue} (default 1,048,576) is refused: a depth or width of 2^31
     * would otherwise build millions of blocks before any check could run.
     */
    public C config(Map<String, String> overrides) {
        if (overrides != null) {
            long cap = Long.getLong(MAX_CONFIG_VALUE_PROPERTY, 1L << 20);
            overrides.forEach((k, v) -> {
                for (String part : v == null ? new String[0] : v.split(",")) {
                    String t = part.trim();
                    if (t.matches("[+-]?\\d+")) {
                        boolean over;
                        try {
                            over = Math.abs(Long.parseLong(t)) > cap;
                        } catch (NumberFormatException e) {
                            over = true; // beyond long
                        }
                        if (over) {
                            throw new IllegalArgumentException(String.format("%s: config key '%s' = %s exceeds the "
                                    + "size limit %,d; raise -D%s to allow it", name, k, v, cap,
                                    MAX_CONFIG_VALUE_PROPERTY));
                        }
                    }
                }
            });
        }
        try {
            return Configs.override(defaults, overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** A new, uninitialized block for {@code config}. */
    public Block build(C config) {
        return factory.apply(config);
    }

    /** A new, uninitialized block for the defaults with {@code overrides} applied. */
    public Block create(Map<String, String> overrides) {
        return build(config(overrides));
    }

    /** The inputs the block takes for {@code config}, batch axis of size 1 first. */
    public DataDesc[] inputs(C config) {
        return inputs.apply(config);
    }

    /**
     * Builds the config from string overrides and returns the inputs for it; for callers that only hold
     * a {@code Variant<?>}.
     */
    public DataDesc[] inputs(Map<String, String> overrides) {
        return inputs(config(overrides));
    }

    /**
     * The map from the official state_dict names to this variant's parameter paths for {@code config}, or
     * empty if the variant declares none (then official weights cannot be imported).
     */
    public Optional<KeyMap> keyMap(C config) {
        return keyMap == null ? Optional.empty() : Optional.of(keyMap.apply(config));
    }

    /** {@link #keyMap(Record)} for the defaults with {@code overrides} applied. */
    public Optional<KeyMap> keyMap(Map<String, String> overrides) {
        return keyMap(config(overrides));
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builder for {@link Variant}; every {@code setX} is required. */
    public static final class Builder<C extends Record> {
        private final String name;
        private final C defaults;
        private String domain;
        private String paper;
        private String officialRepo;
        private String summary = "";
        private Function<C, Block> factory;
        private Function<C, DataDesc[]> inputs;
        private final java.util.ArrayList<Anchor> anchors = new java.util.ArrayList<>();
        private Function<C, KeyMap> keyMap;

        private Builder(String name, C defaults) {
            this.name = Objects.requireNonNull(name, "name");
            this.defaults = Objects.requireNonNull(defaults, "defaults");
        }

        public Builder<C> setDomain(String domain) {
            this.domain = domain;
            return this;
        }

        public Builder<C> setPaper(String paper) {
            this.paper = paper;
            return this;
        }

        public Builder<C> setOfficialRepo(String officialRepo) {
            this.officialRepo = officialRepo;
            return this;
        }

        public Builder<C> optSummary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder<C> setFactory(Function<C, Block> factory) {
            this.factory = factory;
            return this;
        }

        public Builder<C> setInputs(Function<C, DataDesc[]> inputs) {
            this.inputs = inputs;
            return this;
        }

        public Builder<C> addAnchor(Anchor anchor) {
            anchors.add(anchor);
            return this;
        }

        /** Declares how official checkpoints map onto the block built for a config. */
        public Builder<C> optKeyMap(Function<C, KeyMap> keyMap) {
            this.keyMap = keyMap;
            return this;
        }

        public Variant<C> build() {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalStateException("variant name must be lower_snake_case; got '" + name + "'");
            }
            if (domain == null || paper == null || officialRepo == null || factory == null || inputs == null) {
                throw new IllegalStateException(
                        "variant " + name + " needs domain, paper, officialRepo, factory and inputs");
            }
            return new Variant<>(this);
        }
    }
}
