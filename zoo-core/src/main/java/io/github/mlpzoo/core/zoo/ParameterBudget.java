package io.github.mlpzoo.core.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before allocating, a model whose parameters would exceed a cap: each parameter's initializer is
 * wrapped for the duration of {@link Block#initialize} so that the running element count is checked before
 * the array is made. A config with a huge width thus fails with an {@link IllegalArgumentException} instead
 * of allocating gigabytes (or aborting in native code). Parameters created lazily inside
 * {@code initializeChildBlocks}, and constant arrays a block builds itself, are not counted.
 */
final class ParameterBudget {

    /** System property: the most parameters {@link Zoo#newModel} allocates (default 1e9, 4 GB as FP32). */
    static final String PROPERTY = "zoo.maxParameters";

    static final long DEFAULT_CAP = 1_000_000_000L;

    private final String variant;
    private final long cap;
    private long used;

    private ParameterBudget(String variant, long cap) {
        this.variant = variant;
        this.cap = cap;
    }

    /** The cap from {@link #PROPERTY}, or the default. */
    static long cap() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_CAP;
        }
        try {
            long cap = Long.parseLong(v.trim());
            if (cap > 0) {
                return cap;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " expects a positive integer; got '" + v + "'");
    }

    /** Initializes {@code block} for {@code shapes}, refusing configs above the cap before allocating. */
    static void initialize(Block block, String variant, NDManager manager, DataType type, Shape... shapes) {
        ParameterBudget budget = new ParameterBudget(variant, cap());
        List<Pair<Parameter, Initializer>> wrapped = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            Initializer inner = param.getInitializer();
            if (inner != null && !param.isInitialized()) {
                wrapped.add(new Pair<>(param, inner));
                param.setInitializer(budget.counting(param.getName(), inner));
            }
        }
        try {
            block.initialize(manager, type, shapes);
        } finally {
            for (Pair<Parameter, Initializer> w : wrapped) {
                w.getKey().setInitializer(w.getValue());
            }
        }
    }

    private Initializer counting(String name, Initializer inner) {
        return (manager, shape, dataType) -> {
            long n = 1;
            for (long d : shape.getShape()) {
                if (d < 0) {
                    throw new IllegalArgumentException(variant + ": parameter '" + name + "' would have shape " + shape
                            + " with a negative size; check the config's sizes");
                }
                n = d == 0 ? 0 : (n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d);
            }
            used = n > cap ? Long.MAX_VALUE : used + n;
            if (used > cap) {
                throw new IllegalArgumentException(String.format("%s: the config needs more than %,d parameters "
                        + "(at '%s', shape %s); lower its sizes, or raise -D%s", variant, cap, name, shape, PROPERTY));
            }
            NDArray a = inner.initialize(manager, shape, dataType);
            return a;
        };
    }
}
