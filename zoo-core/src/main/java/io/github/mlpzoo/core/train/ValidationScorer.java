package io.github.mlpzoo.core.train;

import ai.djl.Model;

/**
 * Scores a model on held-out data after each epoch; {@link Fit} keeps the checkpoint with the best score.
 *
 * <p>The caller computes its metric its own way (e.g. RMSE in the original target units, or AUC). Work in a
 * sub-manager so nothing stays behind between epochs:
 * <pre>{@code
 * ValidationScorer rmse = model -> {
 *     try (NDManager m = model.getNDManager().newSubManager()) {
 *         NDArray pred = model.getBlock().forward(new ParameterStore(m, false), new NDList(xVal), false)
 *                 .singletonOrThrow();
 *         return Metrics.rmse(pred.mul(yStd).add(yMean), yValRaw);
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ValidationScorer {

    /** The validation metric of {@code model} in its current state; must be finite. */
    double score(Model model);
}
