package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.training.initializer.Initializer;

/** U(−1/√d, 1/√d), {@code tabm.py}'s {@code _init_rsqrt_uniform_}; package-private helper. */
final class Uniform {

    private Uniform() {}

    static Initializer rsqrt(long d) {
        float b = (float) (1.0 / Math.sqrt(d));
        return (manager, shape, dataType) -> manager.randomUniform(-b, b, shape, dataType);
    }

    /** One U(±1/√d) row of length {@code shape[1]}, copied to all {@code shape[0]} rows (TabM's shared-bias init). */
    static Initializer sharedRows(long d) {
        float b = (float) (1.0 / Math.sqrt(d));
        return (manager, shape, dataType) -> {
            try (var row = manager.randomUniform(-b, b, new ai.djl.ndarray.types.Shape(1, shape.get(1)), dataType)) {
                return row.repeat(0, shape.get(0));
            }
        };
    }
}
